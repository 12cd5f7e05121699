/**
 * From timed page_fault3 loops on several filesystems to each fault path's
 * extra page_mkwrite cost (pure; fault-path-measure.ts takes the samples).
 *
 * Each round times one loop per filesystem back to back, so a drift in the
 * machine's speed (other work on a shared machine) hits every filesystem of
 * a round alike. Per round, a filesystem's cost per page is its CPU time
 * divided by its minor faults, which is a page's cost only where a fault maps
 * one page (faults per store near 1: 4 KiB folios). Its extra is the paired
 * difference from the generic path's (ramfs) in the same round, and its share
 * that difference over the generic cost; the results are the medians over
 * rounds. The 2013 value is the share times the default profile's fault
 * (DEFAULT_FAULT_NS), the conversion calibrate applies to every cost.
 */
import { sampleMedian } from '../../analysis/stats.js';

/** One timed loop: CPU time, this thread's minor faults, and the stores it made. */
export interface PathSample {
  readonly ns: number;
  readonly faults: number;
  readonly stores: number;
}

/** One round: a sample per measured case, `generic` (the generic page_mkwrite path) always among them. */
export type PathRound = { readonly generic: PathSample } & Readonly<Record<string, PathSample>>;

/** Below this many faults per store a fault maps several pages, so its time is not one page's. */
export const MIN_FAULTS_PER_STORE = 0.9;

/** What a case's loop read, per fault and per store (medians over rounds); for any case, large folios or not. */
export interface ReadOff {
  readonly faultsPerStore: number;
  readonly nsPerFault: number;
  readonly nsPerStore: number;
}

/** A path's cost over the generic path's, per page. */
export interface PathExtra extends ReadOff {
  /** Median over rounds of (this path's ns per fault − the generic path's), host ns; may be negative (noise). */
  readonly extraNs: number;
  /** Median over rounds of that difference over the generic path's ns per fault. */
  readonly share: number;
  /** Lower and upper quartiles of the per-round shares: the spread. */
  readonly shareQ1: number;
  readonly shareQ3: number;
  /** For the host profile: extraNs rounded, at least 0. */
  readonly hostNs: number;
  /** For the default (2013) profile: share × the default's fault, rounded, at least 0. */
  readonly defaultNs: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function checkSample(key: string, r: number, s: PathSample | undefined): PathSample {
  if (s === undefined) throw new Error(`round ${r + 1} has no ${key} sample; every round must time every case`);
  const ok =
    Number.isFinite(s.ns) &&
    s.ns > 0 &&
    Number.isFinite(s.faults) &&
    s.faults > 0 &&
    Number.isFinite(s.stores) &&
    s.stores > 0;
  if (!ok)
    throw new Error(
      `round ${r + 1}: bad ${key} sample ${JSON.stringify(s)}: ns, faults and stores must be finite numbers > 0`,
    );
  return s;
}

/** Faults per store, ns per fault and ns per store of `key`, medians over the rounds. Throws on a bad or missing sample. */
export function readOff(rounds: readonly PathRound[], key: string): ReadOff {
  if (rounds.length === 0) throw new Error('no rounds to read');
  const samples = rounds.map((round, r) => checkSample(key, r, round[key]));
  return {
    faultsPerStore: sampleMedian(samples.map((s) => s.faults / s.stores)),
    nsPerFault: sampleMedian(samples.map((s) => s.ns / s.faults)),
    nsPerStore: sampleMedian(samples.map((s) => s.ns / s.stores)),
  };
}

function checkOnePagePerFault(key: string, r: ReadOff): void {
  if (!(r.faultsPerStore >= MIN_FAULTS_PER_STORE)) {
    throw new Error(
      `${key}: ${r.faultsPerStore.toFixed(3)} minor faults per store: a fault maps more than one page (large folios), ` +
        `so its time is not one page's; the per-page cost needs 4 KiB folios (at least ${MIN_FAULTS_PER_STORE} faults per store)`,
    );
  }
}

/**
 * `key`'s extra over the generic path, per page (see the file comment).
 * `defaultFaultNs` is the default profile's whole fault (fault entry +
 * generic page_mkwrite). Throws when either side maps more than one page per
 * fault, or a sample is bad or missing.
 */
export function deriveExtra(rounds: readonly PathRound[], key: string, defaultFaultNs: number): PathExtra {
  if (!(Number.isFinite(defaultFaultNs) && defaultFaultNs > 0))
    throw new Error(`the default fault must be a number > 0 ns, got ${defaultFaultNs}`);
  const generic = readOff(rounds, 'generic');
  const own = readOff(rounds, key);
  checkOnePagePerFault('generic', generic);
  checkOnePagePerFault(key, own);
  const diffs = rounds.map((round) => round[key]!.ns / round[key]!.faults - round.generic.ns / round.generic.faults);
  const shares = rounds.map((round, r) => diffs[r]! / (round.generic.ns / round.generic.faults)).sort((a, b) => a - b);
  const extraNs = sampleMedian(diffs);
  const share = sampleMedian(shares);
  return {
    ...own,
    extraNs,
    share,
    shareQ1: quantile(shares, 0.25),
    shareQ3: quantile(shares, 0.75),
    hostNs: Math.max(0, Math.round(extraNs)),
    defaultNs: Math.max(0, Math.round(share * defaultFaultNs)),
  };
}
