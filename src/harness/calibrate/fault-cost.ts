/** The write-fault measurement: page_fault3's loop (plainLoop) at two sizes, fitted to a cost per real minor fault and per mmap+munmap. */
import fs from 'node:fs';

import { sampleMedian } from '../../analysis/stats.js';
import { fsInfo, type FsInfo } from '../../targets/kernel/fsinfo.js';
import type { NativeAddon } from '../../targets/kernel/native.js';

export const PAGE_BYTES = 4096;

// ------------------------------------------------------ write-fault cost

/** One plainLoop call: `passes` passes of `pages` pages took `ns` of CPU time and `faults` minor faults of this thread. */
export interface LoopSample {
  readonly pages: number;
  readonly passes: number;
  readonly ns: number;
  readonly faults: number;
}

export interface FaultFit {
  /** Cost of one real write fault (time divided by minor faults, not by stores), ns. */
  readonly perFaultNs: number;
  /** Cost per pass not explained by faults: mmap + munmap, ns. */
  readonly perPassNs: number;
  /** Minor faults per store of the many-page loop (1 on tmpfs; < 1 where a fault maps a large folio). */
  readonly faultsPerStore: number;
  /** The many-page loop's time per store, ns (for reference: what a store costs, faults or not). */
  readonly perStoreNs: number;
}

/**
 * Fits time per pass = perPassNs + perFaultNs × faults per pass through two
 * loops: many pages per pass (`big`) and one page per pass (`small`). Falls
 * back to the big loop's time per fault when the two do not give a positive
 * slope (noise, or equal fault counts).
 */
export function fitFaultCost(big: LoopSample, small: LoopSample): FaultFit {
  for (const s of [big, small]) {
    if (!(
      s.pages >= 1 &&
      s.passes >= 1 &&
      Number.isFinite(s.ns) &&
      s.ns >= 0 &&
      Number.isFinite(s.faults) &&
      s.faults >= 0
    )) {
      throw new Error(`bad loop sample ${JSON.stringify(s)}`);
    }
  }
  const tb = big.ns / big.passes;
  const fb = big.faults / big.passes;
  const ts = small.ns / small.passes;
  const fs_ = small.faults / small.passes;
  if (!(fb > 0)) throw new Error(`the ${big.pages}-page loop took no minor faults: cannot measure a fault`);
  let perFault = fb > fs_ ? (tb - ts) / (fb - fs_) : NaN;
  if (!(perFault > 0) || !Number.isFinite(perFault)) perFault = tb / fb;
  const perPass = Math.max(0, ts - perFault * fs_);
  return { perFaultNs: perFault, perPassNs: perPass, faultsPerStore: fb / big.pages, perStoreNs: tb / big.pages };
}

export interface FaultMeasurement extends FaultFit {
  readonly dir: string;
  readonly fs: FsInfo;
  /** Pages per pass of the many-page loop. */
  readonly pages: number;
  /** Time of one many-page pass, ns (median). */
  readonly bigPassNs: number;
  /** Time of one 1-page pass (mmap, one store, munmap), ns (median). */
  readonly smallPassNs: number;
  /** Per-round fits: the spread of perFaultNs. */
  readonly rounds: readonly FaultFit[];
}

/**
 * The process's CPU time (user + system), ns. Costs are read in CPU time, not
 * wall time: on a machine shared with other work a loop's wall time includes
 * the time it waited for a core (here, under a load of 18 on 2 cores, the
 * wall-clock fit read 156 µs per tmpfs fault, rounds from 19 µs to 182 µs).
 * The loop runs on the calling thread; Node's other threads are idle.
 */
export function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function loop(addon: NativeAddon, fd: number, pages: number, passes: number): LoopSample {
  const m0 = addon.minorFaults();
  const t0 = cpuNs();
  addon.plainLoop(fd, pages, passes);
  const ns = cpuNs() - t0;
  const faults = addon.minorFaults() - m0;
  return { pages, passes, ns, faults };
}

/** Pages we may touch in `dir` without running its file system out of space (a full tmpfs would SIGBUS the store). */
function pageBudget(dir: string, cap: number): number {
  try {
    const st = fs.statfsSync(dir);
    const free = Number(st.bavail) * Number(st.bsize);
    if (Number.isFinite(free) && free > 0) return Math.max(1, Math.min(cap, Math.floor(free / PAGE_BYTES / 4)));
  } catch {
    // statfs unavailable: keep the cap
  }
  return cap;
}

/**
 * Measures one write fault in `dir` with the addon's plainLoop: sizes the
 * many-page loop so one pass takes >= minPassMs, then alternates it with a
 * 1-page loop for several rounds and fits each round (fitFaultCost); the
 * result is the median of the rounds.
 */
export function measureFaultCost(
  addon: NativeAddon,
  dir: string,
  opts: { quick: boolean; minPassMs?: number; maxPages?: number },
): FaultMeasurement {
  const minPassNs = (opts.minPassMs ?? 20) * 1e6;
  const maxPages = pageBudget(dir, opts.maxPages ?? 262144); // 1 GiB of pages at most
  const roundNs = (opts.quick ? 60 : 200) * 1e6;
  const rounds = opts.quick ? 3 : 7;
  const fd = addon.openUnlinked(dir, maxPages * PAGE_BYTES);
  try {
    // Size: grow until one pass (page cache already populated) takes >= minPassNs.
    let pages = Math.min(256, maxPages);
    for (;;) {
      addon.plainLoop(fd, pages, 1); // populate the page cache for these pages
      const ns = addon.plainLoop(fd, pages, 1);
      if (ns >= minPassNs || pages >= maxPages) break;
      const factor = Math.min(64, Math.max(2, Math.ceil((minPassNs / Math.max(ns, 1)) * 1.2)));
      pages = Math.min(maxPages, pages * factor);
    }
    const bigPassEstimate = addon.plainLoop(fd, pages, 1);
    const bigPasses = Math.max(1, Math.ceil(roundNs / Math.max(bigPassEstimate, 1)));
    addon.plainLoop(fd, 1, 200); // warm the 1-page path
    const smallEstimate = addon.plainLoop(fd, 1, 200) / 200;
    const smallPasses = Math.min(1_000_000, Math.max(100, Math.ceil(roundNs / Math.max(smallEstimate, 1))));

    const fits: FaultFit[] = [];
    const bigNs: number[] = [];
    const smallNs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so a drift in machine speed favours neither loop.
      let big: LoopSample;
      let small: LoopSample;
      if (r % 2 === 0) {
        big = loop(addon, fd, pages, bigPasses);
        small = loop(addon, fd, 1, smallPasses);
      } else {
        small = loop(addon, fd, 1, smallPasses);
        big = loop(addon, fd, pages, bigPasses);
      }
      fits.push(fitFaultCost(big, small));
      bigNs.push(big.ns / big.passes);
      smallNs.push(small.ns / small.passes);
    }
    return {
      dir,
      fs: fsInfo(dir),
      pages,
      perFaultNs: sampleMedian(fits.map((f) => f.perFaultNs)),
      perPassNs: sampleMedian(fits.map((f) => f.perPassNs)),
      faultsPerStore: sampleMedian(fits.map((f) => f.faultsPerStore)),
      perStoreNs: sampleMedian(fits.map((f) => f.perStoreNs)),
      bigPassNs: sampleMedian(bigNs),
      smallPassNs: sampleMedian(smallNs),
      rounds: fits,
    };
  } finally {
    addon.close(fd);
  }
}
