/**
 * Micro-benchmarks of the model's building blocks, single-threaded, in the
 * main thread, measured with tinybench:
 *
 *  1. every lock kind uncontended (one acquire + release pair), and a seqcount read;
 *  2. the write-fault path of page_fault3 (one store per page of a fresh
 *     mapping, exactly as roles.ts `writer()` does it) for every strategy,
 *     over jbd2 with the zero cost profile, so only the harness's own
 *     Atomics and bookkeeping are measured;
 *  3. the floor: a bare loop doing the same Atomics work per page as the
 *     `none` fault path, with no harness code around it;
 *  4. the virtual target's simulation speed at 160 CPUs (virtual-speed.ts).
 *
 * Operations far below the timer's resolution are batched: each tinybench
 * iteration runs a batch, times it with hrtime, and reports the per-operation
 * time as `overriddenDuration` (and the whole batch as
 * `overriddenIterationCost`, so the time budget stays real). Table latencies
 * are therefore per operation: per acquire+release pair, per seqcount read,
 * per fault.
 *
 * Tasks are warmed up and run one at a time, in order, rather than through
 * Bench.runSync() (which warms every task before running any): the `none`
 * fault path is measured before any other strategy has reached Kernel.fault(),
 * so its call sites are as monomorphic as in a worker running one strategy.
 * The last row re-measures `none` after all strategies have run, to show what
 * polymorphic feedback costs.
 *
 * Run: npm run bench:micro
 */
import os from 'node:os';
import { median } from 'simple-statistics';
import { Bench, type Task } from 'tinybench';
import { lockBench, lockBenchSink } from './lock-bench.js';
import { nowNs, perOp, runInOrder } from './timing.js';
import { virtualSpeed } from './virtual-speed.js';
import { buildConfig, type ModelConfig } from '../src/model/config.js';
import { Kernel } from '../src/model/kernel.js';
import {
  C_COMMITS,
  C_FAULTS,
  C_IVERSION_BUMPS,
  C_REFAULTS,
  C_STORES,
  C_TIME_UPDATES,
  C_TXNS,
  CTL_JIFFIES,
  CTL_PHASE,
  PHASE_STOP,
  I_DIRTIED_WHEN,
  I_FLAGS,
  IF_DIRTY_PAGES,
  LC_PAGE,
  LS_ACQ,
  P_DATA,
  P_FLAGS,
  PAGE_SLOTS,
  PAGE_WQ_BUCKETS,
  PG_DIRTY,
  PG_LOCKED,
  LINE,
  WQ_WAITERS,
  cpuAt,
  inodeAt,
  lockStatAt,
  pageAt,
  pteTableAt,
} from '../src/model/layout.js';
import { PROFILES } from '../src/model/profiles.js';
import { initState } from '../src/model/state.js';
import { STRATEGY_NAMES, type StrategyName } from '../src/model/strategies/index.js';
import { workSink } from '../src/model/work.js';

const CORES = os.availableParallelism();
/** roles.ts writer(): stores between two looks at the stop flag, minus one. */
const STOP_CHECK_MASK = 63;
const PAGES = 4096;

/** Everything measured feeds this, and it is printed at the end, so no loop is dead code. */
let sink = 0;

// ---- 2. the fault path per strategy --------------------------------------------

interface FaultRig {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly cfg: ModelConfig;
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly k: Kernel;
  /** The mapping generation: the writer's `gen`, shared with the floor when it runs over the same memory. */
  gen: number;
  jiffies: number;
  passes: number;
}

function makeRig(strategy: StrategyName): FaultRig {
  const cfg = buildConfig({
    workload: 'separate-file',
    journal: 'jbd2',
    strategy,
    lock: 'auto',
    profile: PROFILES.zero,
    writers: 1,
    pages: PAGES,
    timeScale: 0.01,
    tickMs: 4,
    observerIntervalMs: 0,
    cores: CORES,
    unitsPerNs: 1,
  });
  const sab = new SharedArrayBuffer(cfg.layout.bytes);
  initState(sab, cfg);
  const k = new Kernel(sab, cfg, 0, () => 0);
  return { name: strategy, strategy, cfg, sab, i32: k.i32, k, gen: 0, jiffies: 0, passes: 0 };
}

/**
 * One pass of page_fault3 as roles.ts writer() runs it, timed; per-fault
 * sample. separate-file remaps every pass (gen++; mmap costs 0 in the zero
 * profile); Kernel.store() counts the store itself; there is no observer, so
 * no store is sampled; the stop flag is looked at every 64 pages as the
 * writer does (it never reads STOP here).
 */
function faultPass(rig: FaultRig): { overriddenDuration: number; overriddenIterationCost: number } {
  const k = rig.k;
  const i32 = rig.i32;
  const gen = ++rig.gen;
  let stops = 0;
  const t0 = nowNs();
  for (let p = 0; p < PAGES; p++) {
    k.store(0, p, gen);
    if ((p & STOP_CHECK_MASK) === STOP_CHECK_MASK && Atomics.load(i32, CTL_PHASE) === PHASE_STOP) stops++;
  }
  const ns = Number(nowNs() - t0);
  sink = (sink + stops) | 0;
  rig.passes++;
  return perOp(ns, PAGES);
}

/**
 * Between passes, outside the timed region: commit the running transaction
 * (no committer thread here, so the buffer list would otherwise only grow),
 * and move the coarse clock on by one tick, as the timer would about once
 * per pass.
 */
function betweenPasses(rig: FaultRig): void {
  rig.k.journal.commit();
  Atomics.store(rig.i32, CTL_JIFFIES, ++rig.jiffies);
}

/**
 * 3. The floor: the Atomics work of the `none` fault path per page, inlined,
 * with every address computed once. Mirrors Kernel.store() / fault() /
 * lockPage() / unlockPage() on the uncontended path: PTE load (mismatch),
 * faults++, page-lock acq++, flags load + CAS of PG_LOCKED, flags load
 * testing PG_DIRTY (Atomics.or and the inode's I_DIRTY_PAGES only when
 * clean: the first pass), PTE store, and-not to unlock, waiter-count load
 * of the hashed wait queue, Atomics.add to the data word, stores++, PTE
 * re-load.
 */
function floorPass(rig: FaultRig): { overriddenDuration: number; overriddenIterationCost: number } {
  const i32 = rig.i32;
  const l = rig.cfg.layout;
  const ctr = cpuAt(l, 0);
  const faults = ctr + C_FAULTS;
  const stores = ctr + C_STORES;
  const refaults = ctr + C_REFAULTS;
  const pageAcq = lockStatAt(l, 0, LC_PAGE) + LS_ACQ;
  const pte0 = pteTableAt(l, 0);
  const pg0 = pageAt(l, 0, 0);
  const wqBase = l.pageWqBase;
  const ino = inodeAt(l, 0);
  const tickUs = rig.cfg.tickUs;
  const gen = ++rig.gen;
  const t0 = nowNs();
  for (let p = 0; p < PAGES; p++) {
    const pte = pte0 + p;
    const pg = pg0 + p * PAGE_SLOTS;
    if (Atomics.load(i32, pte) !== gen) {
      i32[faults]!++;
      i32[pageAcq]!++;
      const v = Atomics.load(i32, pg + P_FLAGS);
      if ((v & PG_LOCKED) !== 0 || Atomics.compareExchange(i32, pg + P_FLAGS, v, v | PG_LOCKED) !== v) {
        throw new Error('floor: page lock contended in a single-threaded run');
      }
      if ((Atomics.load(i32, pg + P_FLAGS) & PG_DIRTY) === 0) {
        Atomics.or(i32, pg + P_FLAGS, PG_DIRTY);
        if ((Atomics.load(i32, ino + I_FLAGS) & IF_DIRTY_PAGES) === 0) {
          Atomics.store(i32, ino + I_DIRTIED_WHEN, Atomics.load(i32, CTL_JIFFIES) * tickUs);
          Atomics.or(i32, ino + I_FLAGS, IF_DIRTY_PAGES);
        }
      }
      Atomics.store(i32, pte, gen);
      Atomics.and(i32, pg + P_FLAGS, ~PG_LOCKED);
      if (Atomics.load(i32, wqBase + ((pg >>> 2) % PAGE_WQ_BUCKETS) * LINE + WQ_WAITERS) !== 0) {
        throw new Error('floor: page wait queue has waiters in a single-threaded run');
      }
    }
    Atomics.add(i32, pg + P_DATA, 1);
    i32[stores]!++;
    if (Atomics.load(i32, pte) !== gen) i32[refaults]!++;
  }
  const ns = Number(nowNs() - t0);
  rig.passes++;
  return perOp(ns, PAGES);
}

/**
 * The fault-path / floor ratio again, paired: alternate one `none` pass and
 * one floor pass over the same memory and take the median of the per-pair
 * ratios, so load from other processes, which comes and goes over
 * milliseconds, hits both sides of a pair alike.
 */
function pairedRatio(rig: FaultRig, pairs: number): { median: number; noneP50: number; floorP50: number } {
  const ratios: number[] = [];
  const noneNs: number[] = [];
  const floorNs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which side goes first, so neither always follows the commit/tick.
    const first = i & 1 ? floorPass(rig) : faultPass(rig);
    betweenPasses(rig);
    const second = i & 1 ? faultPass(rig) : floorPass(rig);
    betweenPasses(rig);
    const n = i & 1 ? second.overriddenDuration : first.overriddenDuration;
    const f = i & 1 ? first.overriddenDuration : second.overriddenDuration;
    noneNs.push(n * 1e6);
    floorNs.push(f * 1e6);
    ratios.push(f / n);
  }
  return { median: median(ratios), noneP50: median(noneNs), floorP50: median(floorNs) };
}

const PAIRS = 600;
const FLOOR = 'floor: bare Atomics loop (none path)';
const NONE_AGAIN = 'fault none (after all strategies)';
const faultTaskName = (s: StrategyName): string => `fault ${s}`;

function faultBench(): { bench: Bench; rigs: Map<string, FaultRig> } {
  const bench = new Bench({
    name: 'fault path, one thread',
    time: 1500,
    warmupTime: 300,
    iterations: 64,
    warmupIterations: 16,
  });
  const rigs = new Map<string, FaultRig>();
  // `none` first (monomorphic), then the floor over the same memory, then every other strategy.
  const order: StrategyName[] = ['none', ...STRATEGY_NAMES.filter((s) => s !== 'none')];
  for (const s of order) {
    const rig = makeRig(s);
    const name = faultTaskName(s);
    rigs.set(name, rig);
    bench.add(name, () => faultPass(rig), { afterEach: () => betweenPasses(rig) });
    if (s === 'none') {
      // Same SharedArrayBuffer, same gen sequence: the floor's PTEs always mismatch, like the fault path's.
      const floorRig: FaultRig = rig;
      rigs.set(FLOOR, floorRig);
      bench.add(FLOOR, () => floorPass(floorRig), { afterEach: () => betweenPasses(floorRig) });
    }
  }
  const againRig: FaultRig = { ...makeRig('none'), name: NONE_AGAIN };
  rigs.set(NONE_AGAIN, againRig);
  bench.add(NONE_AGAIN, () => faultPass(againRig), { afterEach: () => betweenPasses(againRig) });
  return { bench, rigs };
}

// ---- output ------------------------------------------------------------------

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function stats(task: Task | undefined): { mean: number; p50: number } | undefined {
  if (!task) return undefined;
  const r = task.result;
  if (r.state !== 'completed' && r.state !== 'aborted-with-statistics') return undefined;
  return { mean: r.latency.mean * 1e6, p50: r.latency.p50 * 1e6 };
}

function main(): void {
  const started = performance.now();
  console.log(
    `faultscale micro-benchmarks: node ${process.version}, ${CORES} cores, ${PAGES} pages per pass, tinybench, one thread`,
  );

  const locks = lockBench();
  runInOrder(locks);
  console.log('\nLocks, uncontended (latency per acquire+release pair or per seqcount read):');
  console.table(locks.table());

  const { bench, rigs } = faultBench();
  let paired: ReturnType<typeof pairedRatio> | undefined;
  // Right after the floor, while Kernel.fault() has seen only `none`.
  runInOrder(bench, (task) => {
    const rig = rigs.get(FLOOR);
    if (task.name === FLOOR && rig) paired = pairedRatio(rig, PAIRS);
  });
  console.log(
    `\nFault path, one thread, jbd2 + lock auto (rw), profile zero (latency per fault; throughput = faults/s):`,
  );
  console.table(bench.table());

  // What each pass did, from the kernel's own counters (warm-up passes included): a sanity check that every store faulted.
  const rows: Record<string, string | number>[] = [];
  for (const task of bench.tasks) {
    const rig = rigs.get(task.name);
    const st = stats(task);
    if (!rig || !st) continue;
    const c = (idx: number): number => Atomics.load(rig.i32, cpuAt(rig.cfg.layout, 0) + idx);
    const passes = Math.max(1, rig.passes);
    rows.push({
      task: task.name,
      'ns/fault mean': fmt(st.mean),
      'ns/fault p50': fmt(st.p50),
      'Mfaults/s (1/mean)': fmt(1e3 / st.mean, 2),
      'passes (rig total)': rig.passes,
      'faults/pass': fmt(c(C_FAULTS) / passes, 1),
      'stores/pass': fmt(c(C_STORES) / passes, 1),
      'txns/pass': fmt(c(C_TXNS) / passes, 3),
      'timeUpdates/pass': fmt(c(C_TIME_UPDATES) / passes, 3),
      'iversionBumps/pass': fmt(c(C_IVERSION_BUMPS) / passes, 3),
      commits: c(C_COMMITS),
    });
    for (let p = 0; p < PAGES; p += 511)
      sink = (sink + Atomics.load(rig.i32, pageAt(rig.cfg.layout, 0, p) + P_DATA)) | 0;
  }
  console.log(
    "\nPer strategy (counters are per rig; the none rig is shared by the floor, so its passes include the floor's):",
  );
  console.table(rows);

  const none = stats(bench.getTask(faultTaskName('none')));
  const floor = stats(bench.getTask(FLOOR));
  const noneAgain = stats(bench.getTask(NONE_AGAIN));
  if (!none || !floor) throw new Error('fault none or floor task did not complete');
  console.log(
    `\nfault path (none, zero profile) / bare loop floor = ${fmt(floor.mean / none.mean)}` +
      ` (throughput ratio = floor ns / fault-path ns, means: ${fmt(floor.mean)} / ${fmt(none.mean)} ns;` +
      ` medians: ${fmt(floor.p50)} / ${fmt(none.p50)} ns = ${fmt(floor.p50 / none.p50)})`,
  );
  if (noneAgain) {
    console.log(
      `  same for none re-measured after all strategies (polymorphic Kernel.fault): ${fmt(floor.mean / noneAgain.mean)}` +
        ` (means), ${fmt(floor.p50 / noneAgain.p50)} (medians)`,
    );
  }
  if (paired) {
    console.log(
      `  paired (${PAIRS} alternating none/floor passes, median of per-pair ratios): ${fmt(paired.median)}` +
        ` (medians: floor ${fmt(paired.floorP50)} ns, fault path ${fmt(paired.noneP50)} ns)`,
    );
  }
  console.log(
    '\nVirtual target, wall time of one converged 160-CPU preset row (whole runs: setup, warm-up, window, sync, invariant check):',
  );
  console.table(virtualSpeed());
  console.log(
    `(sink ${(sink ^ lockBenchSink() ^ workSink()) >>> 0}; ${fmt((performance.now() - started) / 1000, 1)} s)`,
  );
}

main();
