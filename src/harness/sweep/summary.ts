/**
 * What the sweep prints: before the first run, what it will measure and how
 * (stderr); at the end, the tables (stdout) and how it ended (stderr).
 */
import { uslBySeries, type UslSeries } from '../../analysis/usl-series.js';
import { tradeoff } from '../../analysis/tradeoff.js';
import { formatOutliers, type OutlierEntry } from '../../output/outlier-note.js';
import { fmtDuration } from '../../output/progress.js';
import { formatTable } from '../../output/table.js';
import { terminalChart } from '../../output/termchart.js';
import { formatTradeoff } from '../../output/tradeoff-table.js';
import { formatUslTable } from '../../output/usl-table.js';
import { formatWaitShares } from '../../output/wait-shares.js';
import type { Row } from '../../rows/rows.js';
import { rowKey } from '../../rows/runs.js';
import type { BenchOptions } from '../bench-options/index.js';
import type { SweepIO } from './io.js';
import { windowWarning } from '../window-rule.js';
import type { Measurement } from './measure.js';
import type { SweepSetup } from './plan.js';

/** The sweep in one line: how many configurations, runs and in what order, the window, the profile, the clock, the machine. */
function headline(setup: SweepSetup, opts: BenchOptions): string {
  const { shard, adaptive } = opts.plan;
  const profile = opts.sweep.profile.costProfile;
  return (
    `faultscale ${setup.context.harness_version}: ${setup.configs.length} configurations` +
    (shard
      ? ` (shard ${shard.index}/${shard.count} of ${setup.all.length}${shard.from ? `, from ${shard.from}` : ''})`
      : '') +
    ` of sweep ${opts.plan.sweepId}` +
    (adaptive
      ? ` × ${adaptive.minRuns}-${adaptive.maxRuns} runs (until the 95% CI is within ±${adaptive.targetPct}% of the mean)`
      : ` × ${opts.plan.runs} runs`) +
    `, ${opts.plan.order === 'interleaved' ? `interleaved (seed ${opts.plan.seed})` : 'sequential'}, ` +
    `${opts.plan.warmupSec}s warm-up + ${opts.plan.durationSec}s window each; profile ${profile.name}@${profile.version}; ` +
    `time scale ${opts.model.timeScale} (a 5 s kernel interval lasts ${5 * opts.model.timeScale} s); HZ ${opts.model.hz} (tick ${opts.model.tickMs} ms); ` +
    `observer ${opts.model.observerIntervalMs > 0 ? `every ${opts.model.observerIntervalMs} ms` : 'off'}; ${setup.cores} cores; Node ${process.version}`
  );
}

/** Before the first run: the target's notes, the headline, and warnings about the window and oversubscription. */
export function announce(setup: SweepSetup, opts: BenchOptions, io: SweepIO): void {
  for (const line of setup.target.notes()) io.err(line);
  io.err(headline(setup, opts));
  // The 2% rule is about the modelled kernel's tick; a real kernel's (hz NaN) is its own.
  const { hz, realWriters } = setup.facts;
  const short = Number.isNaN(hz) ? null : windowWarning(opts.plan.durationSec, hz);
  if (short !== null) io.err(short);
  // Virtual CPUs need no core each: only targets whose writers are real threads or processes can oversubscribe.
  const over = realWriters ? opts.sweep.threads.filter((t) => t > setup.cores) : [];
  if (over.length > 0) {
    io.err(
      `note: ${over.join(', ')} writer threads exceed the ${setup.cores} cores: oversubscribed; ` +
        'lock waiters back off and park, and those rows say oversubscribed=1',
    );
  }
}

/** The USL fitted to each series, with the runs behind each row for its intervals; none without rows. */
export function fitUsl(rows: Row[], runs: ReadonlyMap<string, number[]>): UslSeries[] {
  return rows.length > 0 ? uslBySeries(rows, { runsOf: (r) => runs.get(rowKey(r)) }) : [];
}

/** The tables: faults/s, outlier runs, the chart, the USL fits, where the time goes, and the trade-off. */
export function summarise(rows: Row[], outliers: readonly OutlierEntry[], usl: UslSeries[], io: SweepIO): void {
  if (rows.length > 0) {
    io.out(formatTable(rows));
    if (outliers.length > 0) io.out(`\n${formatOutliers(outliers)}`);
    io.out('');
    io.out(terminalChart(rows));
    io.out('');
    io.out(formatUslTable(usl));
    const waits = formatWaitShares(rows);
    if (waits !== '') io.out(`\n${waits}`);
  }
  const t = formatTradeoff(tradeoff(rows));
  if (t) io.out(t);
}

/** The last lines: whether a signal stopped the sweep, and where its rows went. */
export function sayEnded(opts: BenchOptions, rows: readonly Row[], m: Measurement, io: SweepIO): void {
  if (m.interrupted) io.err(`interrupted by ${m.interrupted}: stopped the sweep`);
  io.err(
    `${rows.length} rows written to ${[opts.outputs.csvPath, opts.outputs.jsonPath, opts.outputs.markdownPath].filter((p) => p).join(', ')} in ` +
      fmtDuration((performance.now() - m.startedMs) / 1000),
  );
}
