/**
 * The report's "where the time goes" chart: drawn, per group, from rows that
 * carry wait shares (the virtual target's), with every wait class in its
 * legend and a mark per series; absent for rows without them.
 */
import { describe, expect, it } from 'vitest';

import { renderReport } from '../../src/output/index.js';
import { WAIT_SHARES } from '../../src/output/wait-shares.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';

const base = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? '' : Number.NaN])) as Row),
  status: 'ok',
  error: '',
  target: 'virtual',
  workload: 'separate-file',
  journal: 'xfs-cil',
  lock: 'ticket',
  profile: 'default@2',
  runs: 1,
} as Row;

function rows(withWaits: boolean): Row[] {
  return ['eager-iversion', 'none'].flatMap((strategy, si) =>
    [1, 16, 160].map((threads) => {
      const waits = withWaits
        ? Object.fromEntries(WAIT_SHARES.map(([c], i) => [c, (0.01 * (i + 1) * Math.log2(threads + 1)) / (si + 1)]))
        : {};
      return {
        ...base,
        strategy,
        threads,
        faults_per_sec_mean: 1e5 * threads,
        speedup: threads,
        efficiency: 1,
        ...waits,
      } as Row;
    }),
  );
}

describe('where the time goes, in the report', () => {
  it('stacks the wait shares against threads for each series', async () => {
    const html = await renderReport(rows(true), {});
    const m = /<figure class="chart" data-chart="waits-[^"]+">([\s\S]*?)<\/figure>/.exec(html);
    expect(m, 'no waits chart').not.toBeNull();
    const fig = m![1]!;
    for (const [, short] of WAIT_SHARES) expect(fig).toContain(`>${short}<`);
    expect(fig).toMatch(/aria-label="[^"]*eager-iversion, 160 threads: hot/);
    expect(fig).toMatch(/aria-label="[^"]*none, 16 threads: line/);
  }, 60_000);

  it('is left out when no row has wait shares', async () => {
    const html = await renderReport(rows(false), {});
    expect(html).not.toContain('data-chart="waits-');
  }, 60_000);
});
