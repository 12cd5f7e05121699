/**
 * The USL per series of a sweep's rows: one fit per (target, workload,
 * journal, mount options, lock, strategy, profile) on faults_per_sec_mean
 * against threads, and, when every thread count has the runs behind its mean,
 * bootstrap intervals for σ, κ and N*.
 */
import {
  bootstrapUsl,
  type BootstrapOptions,
  type Interval,
  type RunsAtThreads,
  type UslIntervalResult,
} from './usl-bootstrap.js';
import {
  asRecords,
  fieldNumber,
  fitUsl,
  type RecordLike,
  type RowsInput,
  type UslPoint,
  type UslResult,
} from './usl.js';

export interface UslSeries {
  readonly target: string;
  readonly workload: string;
  readonly journal: string;
  readonly lock: string;
  readonly strategy: string;
  readonly profile: string;
  /** workload/journal/strategy, plus mount options, lock, profile and target where they differ between series. */
  readonly label: string;
  readonly result: UslResult;
  /** Bootstrap intervals; null when the fit was refused. */
  readonly intervals: UslIntervalResult | null;
}

export interface SeriesOptions {
  /** The per-run faults/s behind a row's mean (a sweep's samples, a `.runs.csv` sidecar); none: no intervals. */
  readonly runsOf?: (row: RecordLike) => readonly number[] | undefined;
  readonly bootstrap?: BootstrapOptions;
}

const KEY = ['target', 'mode', 'workload', 'journal', 'mount_options', 'lock', 'strategy', 'profile'] as const;

/** One fit per series, in order of first appearance; rows under different locks, profiles or mounts are never mixed. */
export function uslBySeries(rows: RowsInput, opts: SeriesOptions = {}): UslSeries[] {
  const groups = new Map<string, { key: Record<string, string>; points: UslPoint[]; runs: RunsAtThreads[] }>();
  for (const r of asRecords(rows)) {
    const key = Object.fromEntries(KEY.map((k) => [k, String(r[k] ?? '')])) as Record<(typeof KEY)[number], string>;
    const id = KEY.map((k) => key[k]).join('\u0000');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, points: [], runs: [] }));
    const n = fieldNumber(r.threads);
    g.points.push({ n, x: fieldNumber(r.faults_per_sec_mean) });
    g.runs.push({ n, runs: opts.runsOf?.(r) ?? [] });
  }
  const all = [...groups.values()];
  const varies = (k: string): boolean => new Set(all.map((g) => g.key[k])).size > 1;
  const extra = (['mount_options', 'lock', 'profile', 'target', 'mode'] as const).filter(varies);
  return all.map(({ key, points, runs }) => {
    const result = fitUsl(points);
    const intervals = !result.ok
      ? null
      : opts.runsOf
        ? bootstrapUsl(runs, result.fit, opts.bootstrap)
        : ({ ok: false, reason: 'no per-run samples' } as const);
    return {
      target: key.target!,
      workload: key.workload!,
      journal: key.journal!,
      lock: key.lock!,
      strategy: key.strategy!,
      profile: key.profile!,
      label: [key.workload, key.journal, key.strategy, ...extra.map((k) => key[k])].join('/'),
      result,
      intervals,
    };
  });
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const ends = (i: Interval | undefined): Interval | null => i ?? null;

/** The series as the JSON output carries them: the fit, its residual standard error and the three intervals (null when not computed, with the reason). */
export function uslJson(series: readonly UslSeries[]): Record<string, unknown>[] {
  return series.map((s) => {
    if (!s.result.ok) return { series: s.label, refused: s.result.reason };
    const f = s.result.fit;
    const ci = s.intervals?.ok ? s.intervals.ci : undefined;
    return {
      series: s.label,
      fit: { ...f, rse: finite(f.rse), peakN: finite(f.peakN), peakThroughput: finite(f.peakThroughput) },
      sigma_ci95: ends(ci?.sigma),
      kappa_ci95: ends(ci?.kappa),
      peak_threads_ci95: ends(ci?.peakN),
      ...(ci
        ? { bootstrap: { replicates: ci.replicates, seed: ci.seed } }
        : { ci95_refused: s.intervals && !s.intervals.ok ? s.intervals.reason : 'not fitted' }),
    };
  });
}
