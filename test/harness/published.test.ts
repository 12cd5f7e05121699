import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parsePublishedArgs } from '../../src/harness/published/args.js';
import { PUBLISHED_FIGURES, lockWaitShare, withinTolerance } from '../../src/harness/published/figures.js';
import { formatPublished } from '../../src/harness/published/table.js';
import { windowWarning } from '../../src/harness/window-rule.js';
import type { Row } from '../../src/rows/rows.js';

const fig = (id: string) => PUBLISHED_FIGURES.find((f) => f.id === id)!;

/** A row with only what the figures read; every wait share 0 unless given. */
function row(over: Partial<Row>): Row {
  const zero = {
    hot_lock_wait_share: 0,
    list_lock_wait_share: 0,
    buffer_lock_wait_share: 0,
    inode_lock_wait_share: 0,
    page_lock_wait_share: 0,
    ctx_lock_wait_share: 0,
    grant_lock_wait_share: 0,
    line_wait_share: 0,
    cv: 0,
    runs: 1,
    txns_per_fault: 0,
    preset: '',
    journal: '',
    strategy: '',
    lock: '',
    threads: 160,
    faults_per_sec_mean: NaN,
  };
  return { ...zero, ...over } as unknown as Row;
}

describe('published figures', () => {
  it('reads the 2013 ratios and the extra spinning off the preset rows', () => {
    const rows = [
      row({ preset: 'ext3-2013', faults_per_sec_mean: 100 }),
      row({ preset: 'ext4-2013', faults_per_sec_mean: 80, hot_lock_wait_share: 0.01 }),
      row({
        preset: 'xfs-2013',
        faults_per_sec_mean: 65,
        hot_lock_wait_share: 0.1,
        buffer_lock_wait_share: 0.04,
        grant_lock_wait_share: 0.5,
      }),
    ];
    const none = (): number[] => [];
    expect(fig('2013 ext4 / ext3').model(rows, none).value).toBeCloseTo(0.8, 12);
    expect(fig('2013 XFS / ext3').model(rows, none).value).toBeCloseTo(0.65, 12);
    expect(fig("2013 XFS's extra spinning").model(rows, none).value).toBeCloseTo(0.13, 12);
    expect(lockWaitShare(rows[2]!)).toBeCloseTo(0.14, 12);
  });

  it('commits per second are faults times transactions per fault; the ticket figure is the median over seeds', () => {
    const cil = [
      row({ journal: 'xfs-cil', threads: 16, faults_per_sec_mean: 1e6, txns_per_fault: 1 }),
      row({ journal: 'xfs-cil', threads: 32, faults_per_sec_mean: 2e6, txns_per_fault: 0.5 }),
      row({ journal: 'xfs-cil-percpu', threads: 32, faults_per_sec_mean: 3e6, txns_per_fault: 1 }),
    ];
    expect(fig('global CIL, 32 / 16 threads').model(cil, () => []).value).toBeCloseTo(1, 12);
    expect(fig('per-CPU / global CIL, 32 threads').model(cil, () => []).value).toBeCloseTo(3, 12);
    const ticket = row({ lock: 'ticket', threads: 48, faults_per_sec_mean: 2 });
    const mcs = row({ lock: 'mcs', threads: 48, faults_per_sec_mean: 8 });
    const f = fig('MCS / collapsed ticket lock, 48 cores').model([ticket, mcs], (r) =>
      r === ticket ? [1, 2, 4] : [8],
    );
    expect(f.value).toBe(4);
    expect(f.range).toEqual([2, 8]);
  });

  it('compares within the tolerance declared, both ways, and says so in the table', () => {
    const near = fig('2013 ext4 / ext3');
    expect(withinTolerance(near, 0.9)).toBe(true);
    expect(withinTolerance(near, 0.91)).toBe(false);
    expect(withinTolerance(near, 0.69)).toBe(false);
    const atLeast = fig('MCS / collapsed ticket lock, 48 cores');
    expect(withinTolerance(atLeast, 100)).toBe(true);
    expect(withinTolerance(atLeast, 2.5)).toBe(false);
    const text = formatPublished([
      { figure: near, hz: 250, model: { value: 0.99, detail: 'x' }, gap: 0.19, within: false, error: null },
      { figure: atLeast, hz: null, model: null, gap: null, within: null, error: 'boom' },
    ]);
    expect(text).toMatch(/\| 250 \| 0\.800 \| ±0\.100 \| 0\.990 \| \+0\.190 \| no \|/);
    expect(text).toMatch(/failed: boom/);
  });

  it('refuses a bad --hz in one line, and takes a list', () => {
    expect(() => parsePublishedArgs(['--hz', '200'], '.')).toThrow(UsageError);
    expect(() => parsePublishedArgs(['--hz', '200'], '.')).toThrow(
      /--hz: unknown value '200'; allowed: 100, 250, 300, 1000, or all/,
    );
    const p = parsePublishedArgs(['--hz', '1000,100'], '.');
    expect(p.kind === 'run' && p.options.hz).toEqual([100, 1000]);
  });
});

describe('the window rule', () => {
  it('warns under five whole ticks, naming the option, the value and the ticks, and is quiet from five', () => {
    expect(windowWarning(0.01, 250)).toMatch(
      /^warning: --duration 0\.01 holds 2\.5 ticks at HZ 250; a window under 5 ticks \(0\.02 s\)/,
    );
    expect(windowWarning(0.02, 250)).toBeNull();
    expect(windowWarning(0.005, 1000)).toBeNull();
    expect(windowWarning(0.004, 1000)).toMatch(/holds 4 ticks at HZ 1000/);
  });
});
