/**
 * A sweep: every (workload, journal, strategy, threads) configuration, each
 * run `runs` times. After every configuration the CSV (and its per-run
 * sidecar) is rewritten whole, atomically, so a failure or an interruption
 * later in the sweep keeps every row measured before it and never leaves a
 * half-written file.
 */
import fs from 'node:fs';
import path from 'node:path';

import { buildConfig } from '../model/config.js';
import { AbortError, Coordinator, HangError, InvariantError, type RunSample } from './coordinator.js';
import { parseInjection } from './inject.js';
import type { BenchOptions } from './options.js';
import { buildRow, unmeasuredRow, type RowContext } from './build-row.js';
import { HARNESS_VERSION, okRows, type Row } from '../rows/rows.js';
import { rowKey, runRecord, type RunRecord } from '../rows/runs.js';
import { writeResultFiles } from '../rows/write.js';
import { writeFileAtomic } from '../rows/write-atomic.js';
import { renderReport } from '../output/report/index.js';
import { formatTable } from '../output/table.js';
import { terminalChart } from '../output/termchart.js';
import { tradeoff } from '../analysis/tradeoff.js';
import { formatTradeoff } from '../output/tradeoff-table.js';
import { makeTarget } from '../targets/index.js';
import type { SweepConfig } from '../targets/target.js';
import { uslBySeries, uslJson, type UslSeries } from '../analysis/usl-series.js';
import { formatUslTable } from '../output/usl-table.js';
import { formatOutliers, type OutlierEntry } from '../output/outlier-note.js';
import { modifiedZScores, outlierRuns } from '../analysis/outliers.js';
import { calibrateUnitsPerNs } from '../model/work.js';

export interface SweepIO {
  /** Results and tables (stdout). */
  out(line: string): void;
  /** Progress, warnings and errors (stderr). */
  err(line: string): void;
}

export interface SweepOutcome {
  readonly rows: Row[];
  readonly samples: Record<string, RunSample[]>;
  /** Configurations that failed, one line each. */
  readonly errors: string[];
  /** The signal that interrupted the sweep, if one did. */
  readonly interrupted: string | null;
}

/** Most service threads a run adds beside its writers: timer, flusher, committer, observer. */
const MAX_SERVICES = 4;


const fmtDuration = (sec: number): string =>
  sec >= 90 ? `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s` : `${Math.round(sec)}s`;

export async function runSweep(opts: BenchOptions, cores: number, io: SweepIO, signal?: AbortSignal): Promise<SweepOutcome> {
  const profile = opts.costProfile;
  // No loop to calibrate when no step spends emulated work.
  const unitsPerNs = Object.entries(profile).some(([k, v]) => k.endsWith('Ns') && (v as number) > 0) ? calibrateUnitsPerNs() : 1;
  const inject = parseInjection(process.env.FAULTSCALE_INJECT);
  const target = makeTarget(opts.target, { dir: opts.dir, hardware: opts.hardware, mode: opts.mode });
  const configs = target.configurations(opts);
  for (const line of target.notes(opts)) io.err(line);
  const maxThreads = Math.max(...opts.threads);
  const common = {
    lock: opts.lock,
    profile,
    pages: opts.pages,
    timeScale: opts.timeScale,
    tickMs: opts.tickMs,
    observerIntervalMs: opts.observerIntervalMs,
    msyncEvery: opts.msyncEvery,
    timeGranNs: opts.timeGranNs,
    client: opts.client,
    cores,
    unitsPerNs,
  };
  // What the target keeps beside the writers and in shared memory.
  const runShape = (c: SweepConfig) => ({
    services: target.services(c.journal, opts.observerIntervalMs),
    sharedPages: target.sharedPages(opts.pages),
  });
  io.err(
    `faultscale ${HARNESS_VERSION}: ${configs.length} configurations × ${opts.runs} runs, ` +
      `${opts.warmupSec}s warm-up + ${opts.durationSec}s window each; profile ${profile.name}@${profile.version}; ` +
      `time scale ${opts.timeScale} (a 5 s kernel interval lasts ${5 * opts.timeScale} s); tick ${opts.tickMs} ms; ` +
      `observer ${opts.observerIntervalMs > 0 ? `every ${opts.observerIntervalMs} ms` : 'off'}; ${cores} cores; Node ${process.version}`,
  );
  const over = opts.threads.filter((t) => t > cores);
  if (over.length > 0) {
    io.err(
      `note: ${over.join(', ')} writer threads exceed the ${cores} cores: oversubscribed; ` +
        'lock waiters back off and park, and those rows say oversubscribed=1',
    );
  }

  const rows: Row[] = [];
  const runLines: RunRecord[] = [];
  const samples: Record<string, RunSample[]> = {};
  const baselines = new Map<string, number>();
  const runsByRow = new Map<string, number[]>();
  const modifiedZ: Record<string, number[]> = {};
  const outliers: OutlierEntry[] = [];
  const errors: string[] = [];
  fs.mkdirSync(path.dirname(opts.csvPath), { recursive: true });
  // The rows and, in the sidecar, the per-run samples behind them, for significance tests when comparing runs.
  const save = (): void => writeResultFiles(opts.csvPath, rows, runLines);
  save();

  const coordinator = new Coordinator(maxThreads + MAX_SERVICES);
  const onAbort = (): void => coordinator.abort(String(signal?.reason ?? 'aborted'));
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();
  const started = performance.now();
  const totalRuns = configs.length * opts.runs;
  let doneRuns = 0;
  try {
    const warmCfgs = configs
      .filter(() => target.warmsModel)
      .filter((c, i) => configs.findIndex((d) => d.workload === c.workload && d.journal === c.journal && d.strategy === c.strategy) === i)
      .map((c) => buildConfig({ ...c, ...common, ...runShape(c), writers: 1, pages: Math.min(opts.pages, 1024) }));
    await coordinator.warm(warmCfgs, Math.max(5, Math.min(40, 1000 / warmCfgs.length)));
    for (const c of configs) {
      if (coordinator.aborted) break;
      const cfg = buildConfig({ ...c, ...common, ...runShape(c), writers: c.threads });
      const label = target.label(c, cfg);
      const injectHere = inject?.matches(c) ? inject.fault : null;
      const seriesKey = `${c.workload}|${c.journal}|${c.strategy}`;
      const rowContext: RowContext = {
        ...c,
        ...target.facts,
        ...target.identity(c, cfg),
        target: target.name,
        mode: target.mode,
        countsMinorFaults: target.countsMinorFaults,
        profile: `${profile.name}@${profile.version}`,
        serviceThreads: cfg.services.length,
        cores,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        pages: opts.pages,
        timeScale: target.timeScale(opts.timeScale),
        tickMs: opts.tickMs,
        observerIntervalMs: opts.observerIntervalMs,
        msyncEvery: opts.msyncEvery,
        timeGranNs: opts.timeGranNs,
        client: opts.client,
        baseline: baselines.get(seriesKey) ?? null,
        outlierRuns: 0,
      };
      const got: RunSample[] = [];
      // Why this configuration has no measured row, when it has none.
      let unmeasured: { status: 'failed' | 'interrupted'; error: string } | null = null;
      for (let r = 1; r <= opts.runs; r++) {
        const elapsed = (performance.now() - started) / 1000;
        const eta = doneRuns > 0 ? fmtDuration((elapsed / doneRuns) * (totalRuns - doneRuns)) : '?';
        io.err(`[${doneRuns + 1}/${totalRuns}] ${label} run ${r}/${opts.runs}  elapsed ${fmtDuration(elapsed)}  ETA ${eta}`);
        try {
          got.push(
            await coordinator.run(
              target,
              cfg,
              { warmupSec: opts.warmupSec, durationSec: opts.durationSec },
              { watchdogSec: opts.watchdogSec, inject: injectHere },
            ),
          );
        } catch (e) {
          if (e instanceof AbortError) {
            unmeasured = { status: 'interrupted', error: `interrupted by ${e.message} during run ${r} of ${opts.runs}` };
            break;
          }
          const what = e instanceof InvariantError ? e.violations.join('; ') : e instanceof Error ? e.message : String(e);
          errors.push(`run failed: ${label} run ${r}: ${what}`);
          io.err(`faultscale: ${errors.at(-1)}`);
          if (e instanceof HangError) for (const line of e.diagnostic) io.err(`  ${line}`);
          unmeasured = { status: 'failed', error: `run ${r} of ${opts.runs} failed: ${what}` };
          break;
        }
        doneRuns++;
      }
      if (unmeasured) {
        // The configuration is still a row: what it was, how many runs completed, and why it has no figures.
        rows.push(unmeasuredRow(rowContext, unmeasured.status, unmeasured.error, got.length));
        save();
        if (unmeasured.status === 'interrupted') break;
        doneRuns += opts.runs - got.length;
        if (opts.keepGoing) continue;
        break;
      }
      const zs = modifiedZScores(got.map((g) => g.faultsPerSec));
      const outliersHere = outlierRuns(got.map((g) => g.faultsPerSec));
      for (const o of outliersHere) outliers.push({ configuration: label, run: o.run, faultsPerSec: o.value, z: o.z });
      const row = buildRow({ ...rowContext, outlierRuns: outliersHere.length }, got);
      if (c.threads === 1) {
        baselines.set(seriesKey, row.faults_per_sec_mean as number);
        row.speedup = 1;
        row.efficiency = 1;
        row.linear_faults_per_sec = row.faults_per_sec_mean;
      }
      rows.push(row);
      got.forEach((s, i) => runLines.push(runRecord(row, i + 1, s.faultsPerSec)));
      samples[`${seriesKey}|${c.threads}`] = got;
      modifiedZ[`${seriesKey}|${c.threads}`] = zs;
      runsByRow.set(rowKey(row), got.map((g) => g.faultsPerSec));
      save();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await coordinator.close();
  }

  const interrupted = coordinator.aborted;
  const usl: UslSeries[] = rows.length > 0 ? uslBySeries(rows, { runsOf: (r) => runsByRow.get(rowKey(r)) }) : [];
  if (opts.jsonPath) {
    const json = {
      harness_version: HARNESS_VERSION,
      options: opts,
      profile,
      cores,
      node_version: process.version,
      errors,
      interrupted,
      rows,
      tradeoff: tradeoff(rows),
      usl: uslJson(usl),
      outliers: outliers.map((o) => ({ configuration: o.configuration, run: o.run, faults_per_sec: o.faultsPerSec, modified_z: o.z })),
      runs: Object.fromEntries(
        Object.entries(samples).map(([k, v]) => [
          k,
          v.map((s, i) => ({
            faults_per_sec: s.faultsPerSec,
            modified_z: modifiedZ[k]?.[i] ?? null,
            elapsed_sec: s.elapsedSec,
            idle_share: s.idleShare,
            per_thread_faults_per_sec: s.perThreadFaultsPerSec,
            counters: s.window.total,
            locks: s.window.locks,
          })),
        ]),
      ),
    };
    writeFileAtomic(opts.jsonPath, JSON.stringify(json, null, 2) + '\n');
  }
  if (rows.length > 0) {
    io.out(formatTable(rows));
    if (outliers.length > 0) io.out(`\n${formatOutliers(outliers)}`);
    io.out('');
    io.out(terminalChart(rows));
    io.out('');
    io.out(formatUslTable(usl));
  }
  const t = formatTradeoff(tradeoff(rows));
  if (t) io.out(t);
  if (opts.reportPath && okRows(rows).length > 0) {
    writeFileAtomic(opts.reportPath, await renderReport(rows, { source: opts.csvPath }));
    io.err(`report written to ${opts.reportPath}`);
  }
  if (interrupted) io.err(`interrupted by ${interrupted}: stopped the sweep`);
  io.err(
    `${rows.length} rows written to ${opts.csvPath}${opts.jsonPath ? ` and ${opts.jsonPath}` : ''} in ` +
      fmtDuration((performance.now() - started) / 1000),
  );
  return { rows, samples, errors, interrupted };
}
