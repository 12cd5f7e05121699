/** Speedup and efficiency recomputed from each series' 1-thread row, whatever the rows' order. */
import { describe, expect, it } from 'vitest';

import { applySpeedups, seriesKey } from '../../src/rows/speedup.js';

const row = (strategy: string, threads: number, mean: number): Record<string, string | number> => ({
  target: 'model',
  workload: 'separate-file',
  journal: 'jbd2',
  mount_options: '',
  lock: 'rw',
  strategy,
  profile: 'default@1',
  threads,
  faults_per_sec_mean: mean,
});

describe('applySpeedups', () => {
  it('uses the 1-thread row of the same series, in any order', () => {
    const rows = applySpeedups([row('eager', 4, 300), row('none', 2, 500), row('eager', 1, 100), row('none', 1, 400)]);
    expect(rows.map((r) => r.speedup)).toEqual([3, 1.25, 1, 1]);
    expect(rows.map((r) => r.efficiency)).toEqual([0.75, 0.625, 1, 1]);
    expect(rows.map((r) => r.linear_faults_per_sec)).toEqual([400, 800, 100, 400]);
  });

  it('leaves them undefined (NaN) for a series without a 1-thread row, and reads CSV strings', () => {
    const rows = applySpeedups([
      { ...row('eager', 2, 300), threads: '2', faults_per_sec_mean: '300' },
      row('none', 1, 100),
    ]);
    expect(rows[0]!.speedup).toBeNaN();
    expect(rows[0]!.efficiency).toBeNaN();
    expect(rows[1]!.speedup).toBe(1);
  });

  it('leaves them NaN for every row of a series whose 1-thread mean is 0 or empty, the 1-thread row included', () => {
    for (const base of [0, NaN, '', '  ']) {
      const rows = applySpeedups(
        [row('eager', 1, 0), row('eager', 2, 300)].map((r, i) => (i === 0 ? { ...r, faults_per_sec_mean: base } : r)),
      );
      for (const r of rows) expect([r.speedup, r.efficiency, r.linear_faults_per_sec]).toEqual([NaN, NaN, NaN]);
    }
  });

  it('keeps series apart by every series column, and takes the 1-thread mean as is', () => {
    const zero = (r: Record<string, string | number>): Record<string, string | number> => ({ ...r, profile: 'zero@1' });
    const rows = applySpeedups([
      row('eager', 1, 100),
      zero(row('eager', 1, 50)),
      row('eager', 3, 150),
      zero(row('eager', 3, 150)),
    ]);
    expect(rows.map((r) => r.speedup)).toEqual([1, 1, 1.5, 3]);
    expect(rows.map((r) => r.efficiency)).toEqual([1, 1, 0.5, 1]);
    expect(rows.map((r) => r.linear_faults_per_sec)).toEqual([100, 50, 300, 150]);
    expect(seriesKey(rows[0]!)).not.toBe(seriesKey(rows[1]!));
    expect(seriesKey(rows[0]!)).toBe(seriesKey(rows[2]!));
  });

  it('reads a blank threads cell as unknown, not as 0 threads, and threads given as text as their number', () => {
    for (const blank of ['', '  ']) {
      const rows = applySpeedups([row('eager', 1, 100), { ...row('eager', 2, 300), threads: blank }]);
      expect(rows[1]!.speedup).toBe(3);
      expect(rows[1]!.efficiency).toBeNaN();
      expect(rows[1]!.linear_faults_per_sec).toBeNaN();
    }
    const text = applySpeedups([
      row('eager', 1, 100),
      { ...row('eager', 2, 300), threads: '2', faults_per_sec_mean: '300' },
    ]);
    expect([text[1]!.speedup, text[1]!.efficiency, text[1]!.linear_faults_per_sec]).toEqual([3, 1.5, 200]);
  });
});
