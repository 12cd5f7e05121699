/**
 * Pareto membership of the trade-off on a constructed set: a strategy leaves
 * the set only when another is at least as good on throughput, staleness and
 * unnoticed stores and better on one; only the highest thread count of each
 * (workload, journal) and only measured rows with staleness figures count.
 */
import { describe, expect, it } from 'vitest';

import { tradeoff, type TradeoffEntry } from '../../src/analysis/tradeoff.js';
import type { Row } from '../../src/rows/rows.js';

interface Spec {
  readonly strategy: string;
  readonly stores: number;
  readonly staleness: number;
  readonly unnoticed: number;
  readonly threads?: number;
  readonly journal?: string;
  readonly status?: string;
  readonly samples?: number;
  readonly dropped?: number;
}

const row = (s: Spec): Row =>
  ({
    status: s.status ?? 'ok',
    workload: 'rewrite',
    journal: s.journal ?? 'jbd2',
    strategy: s.strategy,
    threads: s.threads ?? 8,
    stores_per_sec: s.stores,
    staleness_max_sec: s.staleness,
    unnoticed_stores: s.unnoticed,
    staleness_samples: s.samples ?? 100,
    samples_dropped: s.dropped ?? 0,
  }) as unknown as Row;

const pareto = (entries: TradeoffEntry[]): string[] =>
  entries.filter((e) => e.pareto).map((e) => `${e.journal}/${e.strategy}`);

describe('tradeoff Pareto set', () => {
  it('drops a strategy beaten on one axis and no worse on the others, keeps ties and trade-offs', () => {
    const entries = tradeoff([
      row({ strategy: 'best', stores: 100, staleness: 1, unnoticed: 0 }),
      row({ strategy: 'twin', stores: 100, staleness: 1, unnoticed: 0 }),
      row({ strategy: 'slower', stores: 90, staleness: 1, unnoticed: 0 }),
      row({ strategy: 'staler', stores: 100, staleness: 2, unnoticed: 0 }),
      row({ strategy: 'misses', stores: 100, staleness: 1, unnoticed: 5 }),
      row({ strategy: 'fresher', stores: 50, staleness: 0.5, unnoticed: 0 }),
      row({ strategy: 'sees-all', stores: 40, staleness: 3, unnoticed: 0 }),
    ]);
    expect(entries.map((e) => e.strategy)).toEqual([
      'best',
      'twin',
      'slower',
      'staler',
      'misses',
      'fresher',
      'sees-all',
    ]);
    // 'sees-all' is beaten by 'best' on every axis but unnoticed, where they tie.
    expect(pareto(entries)).toEqual(['jbd2/best', 'jbd2/twin', 'jbd2/fresher']);
  });

  it('keeps a strategy that is worse on throughput and staleness but misses fewer stores', () => {
    const entries = tradeoff([
      row({ strategy: 'fast', stores: 100, staleness: 1, unnoticed: 5 }),
      row({ strategy: 'sees-more', stores: 90, staleness: 2, unnoticed: 0 }),
    ]);
    expect(pareto(entries)).toEqual(['jbd2/fast', 'jbd2/sees-more']);
  });

  it('compares only within a (workload, journal), at its highest thread count', () => {
    const entries = tradeoff([
      row({ strategy: 'a', stores: 100, staleness: 1, unnoticed: 0, threads: 8 }),
      row({ strategy: 'b', stores: 10, staleness: 9, unnoticed: 9, threads: 8, journal: 'xfs-cil' }),
      row({ strategy: 'b', stores: 1000, staleness: 0, unnoticed: 0, threads: 4 }),
      row({ strategy: 'c', stores: 5, staleness: 5, unnoticed: 5, threads: 8 }),
    ]);
    expect(entries.map((e) => [e.journal, e.strategy, e.threads])).toEqual([
      ['jbd2', 'a', 8],
      ['jbd2', 'c', 8],
      ['xfs-cil', 'b', 8],
    ]);
    expect(pareto(entries)).toEqual(['jbd2/a', 'xfs-cil/b']);
  });

  it('leaves out rows not measured or without staleness figures; a never-noticed store is infinitely stale', () => {
    const entries = tradeoff([
      row({ strategy: 'failed', stores: 1e9, staleness: 0, unnoticed: 0, status: 'failed' }),
      row({ strategy: 'unobserved', stores: 1e9, staleness: 0, unnoticed: 0, samples: NaN }),
      row({ strategy: 'never-seen', stores: 200, staleness: NaN, unnoticed: 3, dropped: NaN }),
      row({ strategy: 'seen', stores: 100, staleness: 50, unnoticed: 3, dropped: 7 }),
    ]);
    expect(entries.map((e) => [e.strategy, e.stalenessMaxSec, e.samplesDropped, e.storesPerSec])).toEqual([
      ['never-seen', Infinity, 0, 200],
      ['seen', 50, 7, 100],
    ]);
    expect(pareto(entries)).toEqual(['jbd2/never-seen', 'jbd2/seen']);
    expect(entries[1]!.unnoticedStores).toBe(3);
    expect(entries[1]!.workload).toBe('rewrite');
  });
});
