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
import { windowWarning } from './window-rule.js';
import { presetSettings, sweepConfigurations } from './preset-sweep.js';
import { AbortError, Coordinator, HangError, InvariantError, type RunSample } from './coordinator.js';
import { parseInjection, type Injection } from './inject.js';
import type { BenchOptions } from './options.js';
import { buildRow, unmeasuredRow, type RowContext } from './build-row.js';
import { okRows, type Row } from '../rows/rows.js';
import { contextJson, currentContext } from './context.js';
import { saveBaseline } from './baselines.js';
import { sweepMarkdown } from '../output/sweep-markdown.js';
import { rowKey, runRecord } from '../rows/runs.js';
import { writeResultFiles } from '../rows/write.js';
import { writeFileAtomic } from '../rows/write-atomic.js';
import { csvHref, renderReport } from '../output/report/index.js';
import { formatTable } from '../output/table.js';
import { terminalChart } from '../output/termchart.js';
import { tradeoff } from '../analysis/tradeoff.js';
import { formatTradeoff } from '../output/tradeoff-table.js';
import { TARGETS, makeTarget } from '../targets/index.js';
import type { SweepConfig } from '../targets/target.js';
import { formatTopology } from '../targets/virtual/hardware-presets.js';
import { uslBySeries, uslJson, type UslSeries } from '../analysis/usl-series.js';
import { formatUslTable } from '../output/usl-table.js';
import { formatWaitShares } from '../output/wait-shares.js';
import { formatOutliers, type OutlierEntry } from '../output/outlier-note.js';
import { modifiedZScores, outlierRuns } from '../analysis/outliers.js';
import { calibrateUnitsPerNs } from '../model/work.js';
import { ciTargetMet, wantsAnotherRun } from '../analysis/adaptive.js';
import { applySpeedups } from '../rows/speedup.js';
import { fmtDuration, progressText, type Progress } from '../output/progress.js';
import { runScheduler } from './run-order.js';
import { dispatch } from './dispatch.js';
import { shardOf, shardText } from './shard.js';

export interface SweepIO {
  /** Results and tables (stdout). */
  out(line: string): void;
  /** Warnings and errors (stderr). */
  err(line: string): void;
  /** The progress line (output/progress.ts); without one, each update is a line on `err`. */
  progress?: Progress;
}

interface ConfigState {
  readonly c: SweepConfig;
  readonly cfg: ReturnType<typeof buildConfig>;
  readonly label: string;
  /** What its row says about it, measured or not. */
  readonly context: RowContext;
  readonly inject: Injection['fault'] | null;
  readonly got: RunSample[];
  /** The run number of each sample in `got` (runs that run at once end in any order). */
  readonly ran: number[];
  /** `ended`: failed, or cut short when the sweep stopped; either way it has an unmeasured row. */
  status: 'running' | 'done' | 'ended';
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

export async function runSweep(
  opts: BenchOptions,
  cores: number,
  io: SweepIO,
  signal?: AbortSignal,
): Promise<SweepOutcome> {
  const profile = opts.costProfile;
  // No loop to calibrate when no step spends emulated work.
  const inject = parseInjection(process.env.FAULTSCALE_INJECT);
  const target = makeTarget(opts.target, { dir: opts.dir, hardware: opts.hardware, jobs: opts.jobs, mode: opts.mode });
  const unitsPerNs =
    target.unitsPerNs ??
    (Object.entries(profile).some(([k, v]) => k.endsWith('Ns') && (v as number) > 0) ? calibrateUnitsPerNs() : 1);
  const all = sweepConfigurations(target, opts, opts.presets);
  const configs = shardOf(all, opts.shard);
  const progress: Progress = io.progress ?? { update: (t) => io.err(t), log: (l) => io.err(l), done: () => {} };
  for (const line of target.notes(opts)) io.err(line);
  const maxThreads = Math.max(...opts.threads);
  const sweepContext = currentContext(opts.argv ?? [], cores);
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
    `faultscale ${sweepContext.harness_version}: ${configs.length} configurations` +
      (opts.shard
        ? ` (shard ${opts.shard.index}/${opts.shard.count} of ${all.length}${opts.shard.from ? `, from ${opts.shard.from}` : ''})`
        : '') +
      ` of sweep ${opts.sweepId}` +
      (opts.adaptive
        ? ` × ${opts.adaptive.minRuns}-${opts.adaptive.maxRuns} runs (until the 95% CI is within ±${opts.adaptive.targetPct}% of the mean)`
        : ` × ${opts.runs} runs`) +
      `, ${opts.order === 'interleaved' ? `interleaved (seed ${opts.seed})` : 'sequential'}, ` +
      `${opts.warmupSec}s warm-up + ${opts.durationSec}s window each; profile ${profile.name}@${profile.version}; ` +
      `time scale ${opts.timeScale} (a 5 s kernel interval lasts ${5 * opts.timeScale} s); HZ ${opts.hz} (tick ${opts.tickMs} ms); ` +
      `observer ${opts.observerIntervalMs > 0 ? `every ${opts.observerIntervalMs} ms` : 'off'}; ${cores} cores; Node ${process.version}`,
  );
  const short = TARGETS[opts.target].runsModelKernel ? windowWarning(opts.durationSec, opts.hz) : null;
  if (short !== null) io.err(short);
  // Virtual CPUs need no core each: only targets whose writers are real threads or processes can oversubscribe.
  const simulates = TARGETS[opts.target].simulatesHardware;
  const realWriters = !simulates;
  const over = realWriters ? opts.threads.filter((t) => t > cores) : [];
  if (over.length > 0) {
    io.err(
      `note: ${over.join(', ')} writer threads exceed the ${cores} cores: oversubscribed; ` +
        'lock waiters back off and park, and those rows say oversubscribed=1',
    );
  }

  // The machine the rows ran on, beside the sweep's context: the simulated one's name and shape, the modelled kernel's HZ.
  const machine = {
    hz: TARGETS[opts.target].runsModelKernel ? opts.hz : NaN,
    hardware: simulates ? opts.hardware.name : '',
    topology: simulates ? formatTopology(opts.hardware.topology) : '',
  };

  // One entry per configuration: its runs so far and whether it is still taking runs.
  const states: ConfigState[] = configs.map((c) => {
    const cfg = buildConfig({ ...c, ...common, ...presetSettings(c), ...runShape(c), writers: c.threads });
    const context: RowContext = {
      ...c,
      ...target.facts,
      ...target.identity(c, cfg),
      target: target.name,
      mode: target.mode,
      countsMinorFaults: target.countsMinorFaults,
      realWriters,
      profile: `${profile.name}@${profile.version}`,
      serviceThreads: cfg.services.length,
      cores,
      durationSec: opts.durationSec,
      warmupSec: opts.warmupSec,
      pages: opts.pages,
      timeScale: target.timeScale(opts.timeScale),
      tickMs: opts.tickMs,
      ...machine,
      seed: opts.seed,
      observerIntervalMs: opts.observerIntervalMs,
      msyncEvery: opts.msyncEvery,
      timeGranNs: cfg.timeGranNs,
      client: opts.client,
      sweep: sweepContext,
      // Speedups come from the whole set of rows when they are saved (applySpeedups).
      baseline: null,
      outlierRuns: 0,
      ciTargetMet: 0,
      sweepId: opts.sweepId,
      shard: shardText(opts.shard),
      sweepConfigurations: all.length,
    };
    return {
      c,
      cfg,
      label: target.label(c, cfg),
      context,
      inject: inject?.matches(c) ? inject.fault : null,
      got: [],
      ran: [],
      status: 'running',
    };
  });
  const rule = opts.adaptive;
  // Runs started and not yet ended, per configuration (more than one only when the target runs several at once).
  const inFlight = new Int32Array(states.length);
  const wantsRun = (i: number): boolean => {
    const st = states[i]!;
    if (st.status !== 'running') return false;
    // An adaptive rule decides on finished runs only: one run of a configuration at a time.
    if (rule)
      return (
        inFlight[i] === 0 &&
        wantsAnotherRun(
          st.got.map((g) => g.faultsPerSec),
          rule,
        )
      );
    return st.got.length + inFlight[i]! < opts.runs;
  };
  const scheduler = runScheduler(states.length, opts.order, opts.seed, wantsRun, (i) => inFlight[i]! > 0);
  // Under --runs auto the plan is a lower bound: each unfinished configuration needs at least its minimum.
  const plannedRuns = (): number =>
    states.reduce(
      (acc, st, i) => acc + (rule ? Math.max(st.got.length + (wantsRun(i) ? 1 : 0), rule.minRuns) : opts.runs),
      0,
    );

  const rows: { index: number; row: Row }[] = [];
  const samples: Record<string, RunSample[]> = {};
  const runsByRow = new Map<string, number[]>();
  const modifiedZ: Record<string, number[]> = {};
  const outliers: OutlierEntry[] = [];
  const sequence: { configuration: string; run: number }[] = [];
  const errors: string[] = [];
  fs.mkdirSync(path.dirname(opts.csvPath), { recursive: true });
  const save = (): void => {
    // Rows in the sweep's configuration order, whatever order they finished in; speedups from each series' 1-thread row.
    const ordered = applySpeedups(rows.sort((x, y) => x.index - y.index).map((r) => r.row));
    // The sidecar holds the per-run samples behind each row, for significance tests when comparing runs.
    const runs = ordered.flatMap((row) => (runsByRow.get(rowKey(row)) ?? []).map((x, i) => runRecord(row, i + 1, x)));
    writeResultFiles(opts.csvPath, ordered, runs);
  };
  save();

  /** A configuration's last run finished: its row, its outliers, and the files rewritten. */
  const finish = (index: number): void => {
    const st = states[index]!;
    const { c, label, context } = st;
    st.status = 'done';
    // Runs that ran at once end in any order: the row takes them in run order (run r used seed + r - 1).
    const got = st.ran
      .map((r, k) => ({ r, s: st.got[k]! }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.s);
    const faults = got.map((g) => g.faultsPerSec);
    const outliersHere = outlierRuns(faults);
    for (const o of outliersHere) outliers.push({ configuration: label, run: o.run, faultsPerSec: o.value, z: o.z });
    const row = buildRow(
      { ...context, outlierRuns: outliersHere.length, ciTargetMet: ciTargetMet(faults, opts.targetCiPct) ? 1 : 0 },
      got,
    );
    rows.push({ index, row });
    // Presets may share a journal and strategy (ext3-2013 and ext4-2013): each is its own configuration.
    const key = `${c.preset ?? ''}|${c.workload}|${c.journal}|${c.strategy}|${c.threads}`;
    samples[key] = got;
    modifiedZ[key] = modifiedZScores(faults);
    runsByRow.set(rowKey(row), faults);
    save();
  };

  const coordinator = new Coordinator(maxThreads + MAX_SERVICES);
  const onAbort = (): void => coordinator.abort(String(signal?.reason ?? 'aborted'));
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();
  const started = performance.now();
  let doneRuns = 0;
  // Why the sweep stopped before every configuration finished, when it did.
  let stopped: string | null = null;
  try {
    const warmCfgs = configs
      .filter(() => target.warmsModel)
      .filter(
        (c, i) =>
          configs.findIndex(
            (d) =>
              d.workload === c.workload &&
              d.journal === c.journal &&
              d.strategy === c.strategy &&
              d.preset === c.preset,
          ) === i,
      )
      .map((c) =>
        buildConfig({
          ...c,
          ...common,
          ...presetSettings(c),
          ...runShape(c),
          writers: 1,
          pages: Math.min(opts.pages, 1024),
        }),
      );
    await coordinator.warm(warmCfgs, Math.max(5, Math.min(40, 1000 / warmCfgs.length)));
    // A run's outcome, recorded when it ends; failures become rows here and never reject.
    const runOnce = async (i: number, r: number): Promise<void> => {
      const st = states[i]!;
      let sample: RunSample;
      try {
        sample = await coordinator.run(
          target,
          st.cfg,
          { warmupSec: opts.warmupSec, durationSec: opts.durationSec },
          { watchdogSec: opts.watchdogSec, inject: st.inject, seed: opts.seed + r - 1 },
        );
      } catch (e) {
        inFlight[i]!--;
        // A run beside one that already ended its configuration (failed or interrupted) adds nothing.
        if (st.status !== 'running') return;
        st.status = 'ended';
        if (e instanceof AbortError) {
          rows.push({
            index: i,
            row: unmeasuredRow(
              st.context,
              'interrupted',
              `interrupted by ${e.message} during run ${r} of ${opts.runs}`,
              st.got.length,
            ),
          });
          stopped ??= `interrupted by ${e.message}`;
          return;
        }
        const what = e instanceof InvariantError ? e.violations.join('; ') : e instanceof Error ? e.message : String(e);
        errors.push(`run failed: ${st.label} run ${r}: ${what}`);
        progress.log(`faultscale: ${errors.at(-1)}`);
        if (e instanceof HangError) for (const line of e.diagnostic) progress.log(`  ${line}`);
        // The configuration is still a row: what it was, how many runs completed, and why it has no figures.
        rows.push({
          index: i,
          row: unmeasuredRow(st.context, 'failed', `run ${r} of ${opts.runs} failed: ${what}`, st.got.length),
        });
        save();
        if (!opts.keepGoing) stopped ??= `stopped when a run of ${st.label} failed`;
        return;
      }
      inFlight[i]!--;
      if (st.status !== 'running') return;
      st.got.push(sample);
      st.ran.push(r);
      doneRuns++;
      sequence.push({ configuration: st.label, run: r });
      if (inFlight[i] === 0 && !wantsRun(i)) finish(i);
    };
    const start = (i: number): (() => Promise<void>) => {
      const st = states[i]!;
      const r = st.got.length + inFlight[i]! + 1;
      inFlight[i]!++;
      const elapsed = (performance.now() - started) / 1000;
      const planned = plannedRuns();
      progress.update(
        progressText({
          run: doneRuns + 1,
          planned,
          atLeast: rule !== null,
          configuration: st.label,
          configRun: r,
          configRuns: opts.runs,
          elapsedSec: elapsed,
          etaSec: doneRuns > 0 ? (elapsed / doneRuns) * (planned - doneRuns) : null,
        }),
      );
      return () => runOnce(i, r);
    };
    // A target that simulates its runs may take several at once (virtual time is not shared); real runs one by one.
    const width = target.run ? Math.max(1, target.parallelRuns ?? 1) : 1;
    await dispatch(
      width,
      () => {
        const i = scheduler.next();
        return i === null ? null : start(i);
      },
      () => stopped !== null || coordinator.aborted !== null,
    );
    // Interleaved, other configurations were part-way too when the sweep stopped (a signal; or, without
    // --keep-going, a failure): they are interrupted rows. Those that never started have no row.
    if (stopped !== null) {
      states.forEach((st, index) => {
        if (st.status !== 'running' || st.got.length === 0) return;
        st.status = 'ended';
        rows.push({
          index,
          row: unmeasuredRow(
            st.context,
            'interrupted',
            `${stopped} after ${st.got.length} of ${opts.runs} runs`,
            st.got.length,
          ),
        });
      });
      save();
    }
  } finally {
    progress.done();
    signal?.removeEventListener('abort', onAbort);
    await coordinator.close();
    await target.close?.();
  }
  const finalRows = rows.map((r) => r.row);

  const interrupted = coordinator.aborted;
  const usl: UslSeries[] =
    finalRows.length > 0 ? uslBySeries(finalRows, { runsOf: (r) => runsByRow.get(rowKey(r)) }) : [];
  if (opts.jsonPath) {
    const json = {
      context: contextJson(sweepContext, { target: target.name, ...machine, seed: opts.seed }),
      harness_version: sweepContext.harness_version,
      options: opts,
      profile,
      cores,
      node_version: process.version,
      errors,
      interrupted,
      rows: finalRows,
      tradeoff: tradeoff(finalRows),
      run_order: { order: opts.order, seed: opts.seed, adaptive: opts.adaptive, shard: opts.shard, sequence },
      usl: uslJson(usl),
      outliers: outliers.map((o) => ({
        configuration: o.configuration,
        run: o.run,
        faults_per_sec: o.faultsPerSec,
        modified_z: o.z,
      })),
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
  if (opts.markdownPath) writeFileAtomic(opts.markdownPath, sweepMarkdown(finalRows));
  // A baseline stands for a whole sweep: an interrupted one would compare as if configurations had vanished.
  if (opts.baselinePath && !interrupted && finalRows.length > 0) {
    saveBaseline(opts.baselinePath, opts.csvPath);
    io.err(`baseline saved to ${opts.baselinePath}`);
  }
  if (finalRows.length > 0) {
    io.out(formatTable(finalRows));
    if (outliers.length > 0) io.out(`\n${formatOutliers(outliers)}`);
    io.out('');
    io.out(terminalChart(finalRows));
    io.out('');
    io.out(formatUslTable(usl));
    const waits = formatWaitShares(finalRows);
    if (waits !== '') io.out(`\n${waits}`);
  }
  const t = formatTradeoff(tradeoff(finalRows));
  if (t) io.out(t);
  if (opts.reportPath && okRows(finalRows).length > 0) {
    writeFileAtomic(
      opts.reportPath,
      await renderReport(finalRows, {
        source: opts.csvPath,
        csvHref: csvHref(opts.reportPath, opts.csvPath),
        runs: runsByRow,
      }),
    );
    io.err(`report written to ${opts.reportPath}`);
  }
  if (interrupted) io.err(`interrupted by ${interrupted}: stopped the sweep`);
  io.err(
    `${finalRows.length} rows written to ${[opts.csvPath, opts.jsonPath, opts.markdownPath].filter((p) => p).join(', ')} in ` +
      fmtDuration((performance.now() - started) / 1000),
  );
  return { rows: finalRows, samples, errors, interrupted };
}
