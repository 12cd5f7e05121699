/**
 * The trade-off after a sweep: per strategy, throughput (stores/s: the
 * application's write rate, which is faults/s in page_fault3) at the highest
 * thread count against how long stores stayed invisible (max staleness) and
 * how many were never seen. A strategy is in the Pareto set when no other
 * strategy is at least as good on all three and better on one.
 */
import { okRows, type Row } from '../rows/rows.js';

export interface TradeoffEntry {
  readonly workload: string;
  readonly journal: string;
  readonly strategy: string;
  readonly threads: number;
  readonly storesPerSec: number;
  /** Kernel seconds; Infinity when no sampled store was ever noticed. */
  readonly stalenessMaxSec: number;
  readonly unnoticedStores: number;
  /** Sampled stores dropped (ring full) in the windows: the staleness figures leave them out. */
  readonly samplesDropped: number;
  readonly pareto: boolean;
}

/** a dominates b: no worse on every axis, better on at least one. */
function dominates(a: TradeoffEntry, b: TradeoffEntry): boolean {
  const noWorse =
    a.storesPerSec >= b.storesPerSec &&
    a.stalenessMaxSec <= b.stalenessMaxSec &&
    a.unnoticedStores <= b.unnoticedStores;
  const better =
    a.storesPerSec > b.storesPerSec || a.stalenessMaxSec < b.stalenessMaxSec || a.unnoticedStores < b.unnoticedStores;
  return noWorse && better;
}

/** Entries per (workload, journal), for measured rows that carry staleness figures (an observer ran). */
export function tradeoff(rows: readonly Row[]): TradeoffEntry[] {
  const groups = new Map<string, Row[]>();
  for (const r of okRows(rows)) {
    if (!Number.isFinite(r.staleness_samples)) continue;
    const key = `${r.workload}|${r.journal}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: TradeoffEntry[] = [];
  for (const group of groups.values()) {
    const top = Math.max(...group.map((r) => r.threads));
    const entries = group
      .filter((r) => r.threads === top)
      .map((r) => {
        const max = r.staleness_max_sec;
        return {
          workload: String(r.workload),
          journal: String(r.journal),
          strategy: String(r.strategy),
          threads: top,
          storesPerSec: r.stores_per_sec,
          stalenessMaxSec: Number.isFinite(max) ? max : Infinity,
          unnoticedStores: r.unnoticed_stores,
          samplesDropped: Number.isFinite(r.samples_dropped) ? r.samples_dropped : 0,
          pareto: false,
        };
      });
    for (const e of entries) out.push({ ...e, pareto: !entries.some((o) => o !== e && dominates(o, e)) });
  }
  return out;
}
