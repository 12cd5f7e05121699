/**
 * The sweep's runs: the target prepared, then every configuration's runs in the
 * scheduler's order, as many at once as the target takes. A configuration
 * whose last run ended gets its measured row; a run that fails ends its
 * configuration with an unmeasured row saying why. Each time, the rows are
 * saved (`save`), so a failure or an interruption later keeps them.
 */
import { ciTargetMet, wantsAnotherRun } from '../../analysis/adaptive.js';
import { outlierRuns } from '../../analysis/outliers.js';
import type { OutlierEntry } from '../../output/outlier-note.js';
import { progressText, type Progress } from '../../output/progress.js';
import { AbortError, HangError, InvariantError, abortReason } from '../../targets/run-errors.js';
import type { RunSample } from '../../targets/target.js';
import { buildRow, unmeasuredRow } from '../build-row.js';
import { dispatch } from '../dispatch.js';
import type { BenchOptions } from '../bench-options/index.js';
import { runScheduler } from '../run-order.js';
import type { SweepIO } from './io.js';
import { modelConfig, type ConfigKey, type ConfigState, type SweepPlan } from './plan.js';

/** What the runs gave beyond each configuration's row, in the order it happened. */
export interface Measurement {
  /** Each configuration's samples in run order, by key, in the order configurations finished. */
  readonly samples: Record<ConfigKey, RunSample[]>;
  readonly outliers: OutlierEntry[];
  /** Every run that ended, in the order it ended. */
  readonly sequence: { configuration: string; run: number }[];
  /** Configurations that failed, one line each. */
  readonly errors: string[];
  /** The signal that interrupted the sweep, if one did. */
  readonly interrupted: string | null;
  /** When the runs began (performance.now()). */
  readonly startedMs: number;
}

/** The signal that interrupted the sweep (SIGINT, SIGTERM), or null while none has. */
const interruption = (signal: AbortSignal | undefined): string | null => (signal?.aborted ? abortReason(signal) : null);

/** Whether a configuration needs another run started now. */
function wantsRun(st: ConfigState, opts: BenchOptions): boolean {
  if (st.status !== 'running') return false;
  const rule = opts.plan.adaptive;
  // An adaptive rule decides on finished runs only: one run of a configuration at a time.
  if (rule) {
    return (
      st.inFlight === 0 &&
      wantsAnotherRun(
        st.got.map((g) => g.faultsPerSec),
        rule,
      )
    );
  }
  return st.got.length + st.inFlight < opts.plan.runs;
}

/** The runs of one sweep as they start and end; what they leave is its `Measurement`. */
class RunLoop {
  readonly samples: Record<ConfigKey, RunSample[]> = {};
  readonly outliers: OutlierEntry[] = [];
  readonly sequence: { configuration: string; run: number }[] = [];
  readonly errors: string[] = [];
  readonly startedMs = performance.now();
  private doneRuns = 0;
  /** Why the sweep stopped before every configuration finished, when it did. */
  stopped: string | null = null;

  private readonly plan: SweepPlan;
  private readonly opts: BenchOptions;
  private readonly progress: Progress;
  private readonly save: () => void;
  private readonly signal: AbortSignal | undefined;

  constructor(plan: SweepPlan, opts: BenchOptions, progress: Progress, save: () => void, signal?: AbortSignal) {
    this.plan = plan;
    this.opts = opts;
    this.progress = progress;
    this.save = save;
    this.signal = signal;
  }

  /** Takes the next run of configuration `key`: the progress line now, the run when the returned function is called. */
  start(key: ConfigKey): () => Promise<void> {
    const st = this.plan.states.get(key)!;
    const r = st.got.length + st.inFlight + 1;
    st.inFlight++;
    const elapsed = (performance.now() - this.startedMs) / 1000;
    const planned = this.plannedRuns();
    this.progress.update(
      progressText({
        run: this.doneRuns + 1,
        planned,
        atLeast: this.opts.plan.adaptive !== null,
        configuration: st.label,
        configRun: r,
        configRuns: this.opts.plan.runs,
        elapsedSec: elapsed,
        etaSec: this.doneRuns > 0 ? (elapsed / this.doneRuns) * (planned - this.doneRuns) : null,
      }),
    );
    return () => this.runOnce(st, r);
  }

  /** Under --runs auto the plan is a lower bound: each unfinished configuration needs at least its minimum. */
  private plannedRuns(): number {
    const rule = this.opts.plan.adaptive;
    let planned = 0;
    for (const st of this.plan.states.values()) {
      planned += rule ? Math.max(st.got.length + (wantsRun(st, this.opts) ? 1 : 0), rule.minRuns) : this.opts.plan.runs;
    }
    return planned;
  }

  /** Run `r` of a configuration, recorded when it ends; a failure becomes its row here and never rejects. */
  private async runOnce(st: ConfigState, r: number): Promise<void> {
    const { opts } = this;
    let sample: RunSample;
    try {
      sample = await this.plan.target.run({
        cfg: st.cfg,
        timing: { warmupSec: opts.plan.warmupSec, durationSec: opts.plan.durationSec },
        seed: opts.plan.seed + r - 1,
        watchdogSec: opts.plan.watchdogSec,
        inject: st.inject,
        signal: this.signal,
      });
    } catch (e) {
      st.inFlight--;
      // A run beside one that already ended its configuration (failed or interrupted) adds nothing.
      if (st.status === 'running') this.fail(st, r, e);
      return;
    }
    st.inFlight--;
    if (st.status !== 'running') return;
    st.got.push(sample);
    st.ran.push(r);
    this.doneRuns++;
    this.sequence.push({ configuration: st.label, run: r });
    if (st.inFlight === 0 && !wantsRun(st, opts)) this.finish(st);
  }

  /** Run `r` threw: its configuration ends with a row saying how many runs completed and why it has no figures. */
  private fail(st: ConfigState, r: number, e: unknown): void {
    const { opts } = this;
    st.status = 'ended';
    if (e instanceof AbortError) {
      st.row = unmeasuredRow(
        st.context,
        'interrupted',
        `interrupted by ${e.message} during run ${r} of ${opts.plan.runs}`,
        st.got.length,
      );
      this.stopped ??= `interrupted by ${e.message}`;
      return;
    }
    const what = e instanceof InvariantError ? e.violations.join('; ') : e instanceof Error ? e.message : String(e);
    this.errors.push(`run failed: ${st.label} run ${r}: ${what}`);
    this.progress.log(`faultscale: ${this.errors.at(-1)}`);
    if (e instanceof HangError) for (const line of e.diagnostic) this.progress.log(`  ${line}`);
    st.row = unmeasuredRow(st.context, 'failed', `run ${r} of ${opts.plan.runs} failed: ${what}`, st.got.length);
    this.save();
    if (!opts.plan.keepGoing) this.stopped ??= `stopped when a run of ${st.label} failed`;
  }

  /** A configuration's last run ended: its row, its outliers, and the rows saved. */
  private finish(st: ConfigState): void {
    st.status = 'done';
    // Runs that ran at once end in any order: the row takes them in run order (run r used seed + r - 1).
    const samples = st.ran
      .map((r, k) => ({ r, s: st.got[k]! }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.s);
    const faults = samples.map((g) => g.faultsPerSec);
    const outliersHere = outlierRuns(faults);
    for (const o of outliersHere) {
      this.outliers.push({ configuration: st.label, run: o.run, faultsPerSec: o.value, z: o.z });
    }
    st.row = buildRow(
      {
        ...st.context,
        outlierRuns: outliersHere.length,
        ciTargetMet: ciTargetMet(faults, this.opts.plan.targetCiPct) ? 1 : 0,
      },
      samples,
    );
    st.measured = { samples, faults };
    this.samples[st.key] = samples;
    this.save();
  }

  /**
   * Interleaved, other configurations were part-way too when the sweep stopped (a signal; or, without
   * --keep-going, a failure): they are interrupted rows. Those that never started have no row.
   */
  endUnfinished(): void {
    if (this.stopped === null) return;
    for (const st of this.plan.states.values()) {
      if (st.status !== 'running' || st.got.length === 0) continue;
      st.status = 'ended';
      st.row = unmeasuredRow(
        st.context,
        'interrupted',
        `${this.stopped} after ${st.got.length} of ${this.opts.plan.runs} runs`,
        st.got.length,
      );
    }
    this.save();
  }
}

/** Every run, in the scheduler's order, until none is wanted or the sweep stopped. */
async function runAll(loop: RunLoop, plan: SweepPlan, opts: BenchOptions, signal?: AbortSignal): Promise<void> {
  const state = (key: ConfigKey): ConfigState => plan.states.get(key)!;
  const scheduler = runScheduler(
    [...plan.states.keys()],
    opts.plan.order,
    opts.plan.seed,
    (key) => wantsRun(state(key), opts),
    (key) => state(key).inFlight > 0,
  );
  await dispatch(
    plan.target.parallelRuns,
    () => {
      const key = scheduler.next();
      return key === null ? null : loop.start(key);
    },
    () => loop.stopped !== null || interruption(signal) !== null,
  );
}

export async function measureSweep(
  plan: SweepPlan,
  opts: BenchOptions,
  io: SweepIO,
  save: () => void,
  signal?: AbortSignal,
): Promise<Measurement> {
  const progress: Progress = io.progress ?? { update: (t) => io.err(t), log: (l) => io.err(l), done: () => {} };
  const loop = new RunLoop(plan, opts, progress, save, signal);
  try {
    await plan.target.prepare({
      configs: plan.configs,
      model: (c, writers, maxPages) =>
        modelConfig(plan, opts, c, { writers, pages: Math.min(opts.model.pages, maxPages) }),
    });
    await runAll(loop, plan, opts, signal);
    loop.endUnfinished();
  } finally {
    progress.done();
    await plan.target.close();
  }
  const { samples, outliers, sequence, errors, startedMs } = loop;
  return { samples, outliers, sequence, errors, interrupted: interruption(signal), startedMs };
}
