/**
 * The figures a sweep reports, end to end against hand computation. A
 * scripted target stands in for the virtual one: each run returns a sample
 * built from known numbers (throughput on a known USL curve, one run made an
 * outlier, staleness from a scripted client with known lags, a sample ring
 * really overflowed by a known count), and the sweep turns them into the CSV
 * and the JSON it writes. What it wrote must be what the numbers give by hand:
 * staleness seconds (µs / 1e6 / time scale), unnoticed stores (per run, scaled
 * by the sampling), samples_dropped, Pareto membership, and the JSON's usl,
 * tradeoff and outliers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { followUpUs, type ModelConfig } from '../../src/model/config.js';
import { Kernel } from '../../src/model/kernel.js';
import { COUNTER_SLOTS, CPU_COUNTERS, SAMPLE_EVERY, SAMPLE_RING, cpuAt } from '../../src/model/layout.js';
import { StalenessTracker, windowed, type StalenessWindow } from '../../src/model/staleness.js';
import { diffSnapshots, initState, snapshot } from '../../src/model/state.js';
import { sampleStore } from '../../src/model/steps.js';
import type { TargetName, TargetSettings } from '../../src/targets/index.js';
import type { RunSample, Target } from '../../src/targets/target.js';
import { virtualTarget } from '../../src/targets/virtual/index.js';
import { parseBenchArgs } from '../../src/harness/options.js';
import { runSweep } from '../../src/harness/sweep.js';
import { parseCsv } from '../../src/rows/codec.js';
import { scratchDir } from '../helpers/cli.js';

const SEED = 100;
const RUNS = 3;
const THREADS = [1, 2, 4, 8];
const TIME_SCALE = 0.01;
const OBSERVER_MS = 1;
const DURATION_SEC = 0.1;
/** USL of the scripted throughput: X(n) = factor · λn / (1 + σ(n−1) + κn(n−1)). */
const LAMBDA = 1000;
const SIGMA = 0.1;
const KAPPA = 0.01;
/** Each run's share of the configuration's throughput: they average to 1, so a row's mean is X(n). */
const RUN_NOISE = [0.99, 1.01, 1];
/** The one outlying run: deferred at 2 threads, run 3, at half its throughput. */
const OUTLIER = { strategy: 'deferred', threads: 2, run: 3, share: 0.5 };
/** Samples each run drops, by overflowing its writer's sample ring. */
const DROPPED = 2;

/**
 * Per strategy: throughput factor, and the scripted staleness: the lags (µs)
 * of the two sampled in-window stores a poll notices (the second noticed in
 * the follow-up, after the window closed), or null when the client never
 * sees the file change, and whether a third in-window store, on a file whose
 * attributes never change, goes unnoticed.
 */
const SCRIPT = {
  'eager-iversion': { factor: 1, lags: [100, 100], unseen: false },
  eager: { factor: 2, lags: [100, 500], unseen: true },
  lazytime: { factor: 2, lags: [100, 500], unseen: true },
  deferred: { factor: 1.5, lags: [100, 800], unseen: true },
  none: { factor: 4, lags: null, unseen: true },
} as const;
type Scripted = keyof typeof SCRIPT;
const STRATEGIES = Object.keys(SCRIPT) as Scripted[];

const usl = (n: number): number => (LAMBDA * n) / (1 + SIGMA * (n - 1) + KAPPA * n * (n - 1));
const share = (strategy: string, threads: number, run: number): number =>
  strategy === OUTLIER.strategy && threads === OUTLIER.threads && run === OUTLIER.run
    ? OUTLIER.share
    : RUN_NOISE[run - 1]!;

/** The window [FROM, TO) in model µs, and the client's polls of two files, as a run scripts them. */
const FROM = 1000;
const TO = 2000;
function scriptedStaleness(cfg: ModelConfig, s: (typeof SCRIPT)[Scripted]): StalenessWindow {
  const t = new StalenessTracker(2);
  const version = [0, 0];
  const poll = (file: number, at: number, changed: boolean): void => {
    // The run stops polling once the follow-up after the window is over.
    expect(at).toBeLessThan(TO + followUpUs(cfg));
    if (changed) version[file]!++;
    t.poll(file, at, { iversion: version[file]!, mtime: 0, ctime: 0 });
  };
  const [a, b] = s.lags ?? [100, 100];
  const seen = s.lags !== null;
  t.stored(0, FROM - 100); // before the window: noticed, but not counted
  poll(0, FROM - 50, seen);
  t.stored(0, FROM + 100);
  poll(0, FROM + 100 + a, seen);
  t.stored(0, TO - 50); // late in the window: noticed in the follow-up
  t.stored(0, TO + 10); // after the window: not counted
  poll(0, TO - 50 + b, seen);
  if (s.unseen) t.stored(1, FROM + 500);
  poll(1, TO + 1000, false);
  return windowed(t.noticed, t.unnoticed(), FROM, TO);
}

/** A run's counters, on a real state: each writer's share of the stores, and its sample ring overflowed by DROPPED. */
function scriptedCounters(cfg: ModelConfig, stores: number) {
  const sab = new SharedArrayBuffer(cfg.layout.bytes);
  initState(sab, cfg);
  const i32 = new Int32Array(sab);
  const s0 = snapshot(i32, cfg);
  for (let w = 0; w < cfg.writers; w++) {
    const mine = Math.floor(stores / cfg.writers) + (w < stores % cfg.writers ? 1 : 0);
    for (const name of ['stores', 'faults'] as const)
      Atomics.store(i32, cpuAt(cfg.layout, w) + CPU_COUNTERS + COUNTER_SLOTS[name], mine);
  }
  // No observer drains the ring, so after SAMPLE_RING samples every further one is dropped.
  const k = new Kernel(sab, cfg, 0, () => 0);
  for (let n = 0; n < SAMPLE_RING + DROPPED; n++) sampleStore(k);
  return { window: diffSnapshots(s0, snapshot(i32, cfg)), final: snapshot(i32, cfg) };
}

/** A configuration as the sweep resolved it, for the follow-up's hand computation. */
let seenCfg: ModelConfig | null = null;

function scriptedTarget(settings: TargetSettings): Target {
  return {
    name: 'virtual',
    unavailable: () => null,
    configurations: (lists) =>
      lists.strategies.flatMap((strategy) =>
        lists.threads.map((threads) => ({ workload: 'separate-file', journal: 'jbd2', strategy, threads })),
      ),
    notes: () => [],
    // What the virtual target's rows say of its machine and time.
    facts: virtualTarget(settings.hardware).facts,
    identity: (c, cfg) => ({
      journal: c.journal,
      strategy: c.strategy,
      lock: cfg.lock,
      label: `strategy=${c.strategy} threads=${c.threads}`,
    }),
    services: () => ['timer', 'flusher', 'committer', 'observer'],
    sharedPages: (pages) => pages,
    unitsPerNs: () => 1,
    parallelRuns: 1,
    prepare: async () => {},
    close: async () => {},
    run: async ({ cfg, timing, seed = 1 }): Promise<RunSample> => {
      seenCfg = cfg;
      const run = seed - SEED + 1;
      const s = SCRIPT[cfg.strategy as Scripted];
      const x = s.factor * usl(cfg.writers) * share(cfg.strategy, cfg.writers, run);
      const elapsedSec = timing.durationSec;
      const { window, final } = scriptedCounters(cfg, Math.round(x * elapsedSec));
      const sample = {
        elapsedSec,
        faultsPerSec: x,
        perThreadFaultsPerSec: Array.from({ length: cfg.writers }, () => x / cfg.writers),
        idleShare: 0,
        window,
        final,
        staleness: scriptedStaleness(cfg, s),
      };
      return sample;
    },
  };
}

vi.mock('../../src/targets/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/targets/index.js')>();
  return { ...real, makeTarget: (_name: TargetName, settings: TargetSettings) => scriptedTarget(settings) };
});

type CsvRow = Record<string, string>;
interface Json {
  rows: Record<string, unknown>[];
  tradeoff: {
    strategy: string;
    threads: number;
    storesPerSec: number;
    stalenessMaxSec: number | null;
    unnoticedStores: number;
    samplesDropped: number;
    pareto: boolean;
  }[];
  usl: {
    series: string;
    fit: { lambda: number; sigma: number; kappa: number; points: number };
    sigma_ci95: [number, number] | null;
    kappa_ci95: [number, number] | null;
  }[];
  outliers: { configuration: string; run: number; faults_per_sec: number; modified_z: number }[];
}

const dir = scratchDir('figures');
let csv: CsvRow[] = [];
let json: Json;

beforeAll(async () => {
  const argv = [
    '--target',
    'virtual',
    '--journal',
    'jbd2',
    '--strategy',
    STRATEGIES.join(','),
    '--threads',
    THREADS.join(','),
    '--runs',
    String(RUNS),
    '--seed',
    String(SEED),
    '--time-scale',
    String(TIME_SCALE),
    '--observer-interval',
    String(OBSERVER_MS),
    '--duration',
    String(DURATION_SEC),
    '--warmup',
    '0',
    '--csv',
    path.join(dir, 'r.csv'),
    '--json',
    path.join(dir, 'r.json'),
  ];
  const parsed = parseBenchArgs(argv, { cores: 2, now: new Date(), cwd: dir });
  if (parsed.kind !== 'run') throw new Error('expected a run');
  const lines: string[] = [];
  const outcome = await runSweep(parsed.options, 2, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  expect(outcome.errors, lines.join('\n')).toEqual([]);
  const [header, ...records] = parseCsv(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8'));
  csv = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
  json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')) as Json;
}, 60_000);

const rowOf = (strategy: string, threads: number): CsvRow => {
  const found = csv.filter((r) => r.strategy === strategy && r.threads === String(threads));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const num = (r: CsvRow, col: string): number => (r[col] === '' ? NaN : Number(r[col]));

describe('a scripted sweep, by hand', () => {
  it('wrote one row per configuration, each from its runs', () => {
    expect(csv).toHaveLength(STRATEGIES.length * THREADS.length);
    expect(num(rowOf('eager-iversion', 4), 'faults_per_sec_mean')).toBeCloseTo(usl(4), 6);
    expect(num(rowOf('deferred', 2), 'faults_per_sec_mean')).toBeCloseTo((1.5 * usl(2) * (0.99 + 1.01 + 0.5)) / 3, 6);
  });

  it('staleness seconds are µs / 1e6 / time scale, pooled over the runs, the follow-up included', () => {
    for (const threads of THREADS) {
      // eager: lags 100 and 500 µs in each of 3 runs; nearest-rank p50 of six is the third (100), p99 and max 500.
      const r = rowOf('eager', threads);
      expect(num(r, 'staleness_p50_ms')).toBeCloseTo(0.1, 12);
      expect(num(r, 'staleness_max_ms')).toBeCloseTo(0.5, 12);
      expect(num(r, 'staleness_p50_sec')).toBeCloseTo(100 / 1e6 / TIME_SCALE, 12);
      expect(num(r, 'staleness_p99_sec')).toBeCloseTo(500 / 1e6 / TIME_SCALE, 12);
      expect(num(r, 'staleness_max_sec')).toBeCloseTo(0.05, 12);
      expect(num(rowOf('deferred', threads), 'staleness_max_sec')).toBeCloseTo(0.08, 12);
      // Never noticed: no lag to report, every sampled store unnoticed.
      expect(num(rowOf('none', threads), 'staleness_max_sec')).toBeNaN();
    }
  });

  it('unnoticed stores are per run and scaled by the sampling; the samples count the window only', () => {
    for (const threads of THREADS) {
      expect(num(rowOf('eager-iversion', threads), 'unnoticed_stores')).toBe(0);
      const eager = rowOf('eager', threads);
      expect(num(eager, 'unnoticed_stores')).toBe(SAMPLE_EVERY);
      // Three sampled stores in each window (the ones before and after it are left out), one unnoticed.
      expect(num(eager, 'staleness_samples')).toBe(3 * RUNS);
      expect(num(eager, 'unnoticed_share')).toBeCloseTo(1 / 3, 12);
      expect(num(rowOf('none', threads), 'unnoticed_stores')).toBe(3 * SAMPLE_EVERY);
      expect(num(rowOf('none', threads), 'unnoticed_share')).toBe(1);
    }
  });

  it('samples_dropped sums the overflowed rings of every run', () => {
    for (const r of csv) expect(num(r, 'samples_dropped')).toBe(RUNS * DROPPED);
    for (const e of json.tradeoff) expect(e.samplesDropped).toBe(RUNS * DROPPED);
  });

  it('the Pareto set at the top thread count: dominated deferred out, equal eager and lazytime both in', () => {
    const top = Math.max(...THREADS);
    const byStrategy = Object.fromEntries(json.tradeoff.map((e) => [e.strategy, e]));
    expect(Object.keys(byStrategy).sort()).toEqual([...STRATEGIES].sort());
    for (const e of json.tradeoff) expect(e.threads).toBe(top);
    expect(Object.fromEntries(json.tradeoff.map((e) => [e.strategy, e.pareto]))).toEqual({
      'eager-iversion': true, // the least stale
      eager: true,
      lazytime: true, // ties eager on every axis: neither dominates the other
      deferred: false, // eager is faster, as fresh and misses no more
      none: true, // the fastest, though nothing it stores is ever seen
    });
    const x = usl(top) * DURATION_SEC;
    expect(byStrategy.none!.storesPerSec).toBeCloseTo(Math.round(4 * x) / DURATION_SEC, 6);
    expect(byStrategy.eager!.stalenessMaxSec).toBeCloseTo(0.05, 12);
    // JSON has no Infinity: a staleness never measured is null.
    expect(byStrategy.none!.stalenessMaxSec).toBeNull();
    expect(byStrategy.deferred!.unnoticedStores).toBe(SAMPLE_EVERY);
  });

  it('usl: one series per strategy, the noise-free one fitted back to the curve it came from', () => {
    expect(json.usl.map((s) => s.series).sort()).toEqual(STRATEGIES.map((s) => `separate-file/jbd2/${s}`).sort());
    const exact = json.usl.find((s) => s.series === 'separate-file/jbd2/eager-iversion')!;
    expect(exact.fit.points).toBe(THREADS.length);
    expect(exact.fit.lambda).toBeCloseTo(LAMBDA, 1);
    expect(exact.fit.sigma).toBeCloseTo(SIGMA, 4);
    expect(exact.fit.kappa).toBeCloseTo(KAPPA, 5);
    // The runs vary by ±1%, so the bootstrap has intervals, and they hold the curve's own values.
    expect(exact.sigma_ci95![0]).toBeLessThanOrEqual(SIGMA + 1e-9);
    expect(exact.sigma_ci95![1]).toBeGreaterThanOrEqual(SIGMA - 1e-9);
    expect(exact.kappa_ci95![0]).toBeLessThanOrEqual(KAPPA + 1e-9);
    expect(exact.kappa_ci95![1]).toBeGreaterThanOrEqual(KAPPA - 1e-9);
  });

  it('outliers: exactly the one halved run, with its modified z-score by hand', () => {
    expect(json.outliers).toHaveLength(1);
    const o = json.outliers[0]!;
    expect(o.configuration).toContain(`strategy=${OUTLIER.strategy} threads=${OUTLIER.threads}`);
    expect(o.run).toBe(OUTLIER.run);
    const x = 1.5 * usl(OUTLIER.threads);
    expect(o.faults_per_sec).toBeCloseTo(x * OUTLIER.share, 9);
    // Runs 0.99x, 1.01x, 0.5x: median 0.99x, MAD 0.02x, so M = 0.6745 (0.5 − 0.99) / 0.02.
    expect(o.modified_z).toBeCloseTo((0.6745 * (0.5 - 0.99)) / 0.02, 9);
    expect(num(rowOf(OUTLIER.strategy, OUTLIER.threads), 'outlier_runs')).toBe(1);
  });

  it('the follow-up the scripted polls kept within is the expiry, a flusher period and two polls, in scaled time', () => {
    // 30 s and 5 s at time scale 0.01, and two 1 ms polls.
    expect(followUpUs(seenCfg!)).toBe(300_000 + 50_000 + 2_000);
  });
});
