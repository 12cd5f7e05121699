/** Speedup and efficiency recomputed from each series' 1-thread row, whatever the rows' order. */
import { describe, expect, it } from 'vitest';

import { applySpeedups } from '../../src/rows/speedup.js';

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
    const rows = applySpeedups([{ ...row('eager', 2, 300), threads: '2', faults_per_sec_mean: '300' }, row('none', 1, 100)]);
    expect(rows[0]!.speedup).toBeNaN();
    expect(rows[0]!.efficiency).toBeNaN();
    expect(rows[1]!.speedup).toBe(1);
  });
});
