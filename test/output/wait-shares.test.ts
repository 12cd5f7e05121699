/**
 * The wait-share summary: the highest thread count of each configuration,
 * each share as a percentage and their sum; nothing for rows without wait
 * shares (real threads, a real kernel) or that did not finish.
 */
import { describe, expect, it } from 'vitest';

import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { WAIT_SHARES, formatWaitShares, hasWaitShares } from '../../src/output/wait-shares.js';

const base = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? '' : Number.NaN])) as Row),
  runs: 1,
  status: 'ok',
  error: '',
  workload: 'separate-file',
  journal: 'xfs-cil',
  lock: 'ticket',
  target: 'virtual',
} as Row;

const shares = (line: number, hot: number): Record<string, number> =>
  Object.fromEntries(
    WAIT_SHARES.map(([c]) => [c, c === 'line_wait_share' ? line : c === 'hot_lock_wait_share' ? hot : 0]),
  );

const row = (strategy: string, threads: number, line: number, hot: number, extra: Partial<Row> = {}): Row =>
  ({ ...base, strategy, threads, ...shares(line, hot), ...extra }) as Row;

describe('where the time goes', () => {
  it('shows the highest thread count of each configuration, shares as percentages and their sum', () => {
    const text = formatWaitShares([
      row('eager-iversion', 1, 0.01, 0.0),
      row('eager-iversion', 160, 0.2, 0.55),
      row('eager-iversion', 64, 0.1, 0.3),
      row('none', 160, 0.02, 0),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^where the time goes/);
    expect(lines[1]).toMatch(/^configuration +threads +line +hot +list +buffer +inode +page +ctx +grant +all waits$/);
    const ei = lines.filter((l) => l.includes('eager-iversion'));
    expect(ei).toHaveLength(1);
    expect(ei[0]).toMatch(/separate-file\/xfs-cil\/eager-iversion \(lock ticket\) +160 +20\.0% +55\.0% +0\.0%/);
    expect(ei[0]).toMatch(/75\.0%$/);
    expect(lines.find((l) => l.includes('/none '))).toMatch(/160 +2\.0% +0\.0%.* 2\.0%$/);
  });

  it('names the preset a row came from', () => {
    const r = { ...row('eager', 160, 0.1, 0.1), preset: 'ext3-2013' } as Row;
    expect(formatWaitShares([r])).toMatch(/ext3-2013: separate-file\/xfs-cil\/eager/);
  });

  it('prints nothing without wait shares, and skips rows that did not finish', () => {
    const real = { ...base, strategy: 'eager', threads: 2, target: 'model' } as Row;
    expect(hasWaitShares(real)).toBe(false);
    expect(formatWaitShares([real])).toBe('');
    const failed = row('eager', 160, 0.5, 0.5, { status: 'failed' });
    expect(formatWaitShares([failed, row('eager', 64, 0.1, 0.1)])).toMatch(/eager \(lock ticket\) +64 /);
  });
});
