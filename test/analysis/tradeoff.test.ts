/** The trade-off summary says when the observer dropped samples, since its staleness figures then leave stores out. */
import { describe, expect, it } from 'vitest';
import { tradeoff } from '../../src/analysis/tradeoff.js';
import { formatTradeoff } from '../../src/output/tradeoff-table.js';
import type { Row } from '../../src/rows/rows.js';

const row = (strategy: string, dropped: number): Row =>
  ({
    status: 'ok',
    workload: 'rewrite',
    journal: 'jbd2',
    strategy,
    threads: 1,
    stores_per_sec: 1e6,
    staleness_max_sec: 2,
    unnoticed_stores: 0,
    staleness_samples: 100,
    samples_dropped: dropped,
  }) as unknown as Row;

describe('trade-off and dropped samples', () => {
  it('marks the staleness of a row whose observer dropped samples, and only that row', () => {
    const text = formatTradeoff(tradeoff([row('deferred', 12), row('eager', 0)]));
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('deferred'))).toMatch(/2\.000 \(12 samples dropped\)/);
    expect(lines.find((l) => l.includes(' eager'))).not.toMatch(/dropped/);
  });
});
