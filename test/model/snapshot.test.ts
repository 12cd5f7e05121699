/**
 * Counter snapshots: each counter and each lock statistic summed over every
 * CPU, per CPU as well, and the difference of two snapshots (a window).
 */
import { describe, expect, it } from 'vitest';
import { COUNTER_NAMES, COUNTER_SLOTS, CPU_COUNTERS, LOCK_CLASSES, cpuAt, lockStatAt } from '../../src/model/layout.js';
import { diffSnapshots, snapshot } from '../../src/model/state.js';
import { makeModel } from '../helpers/model.js';

describe('snapshot', () => {
  it('sums every lock statistic and counter over the CPUs, and a difference subtracts them field by field', () => {
    const m = makeModel('eager', { writers: 3 });
    const l = m.cfg.layout;
    const before = snapshot(m.i32, m.cfg);
    // Distinct values per CPU, class and field, so a field read from the wrong slot or a CPU left out shows.
    const value = (c: number, ci: number, f: number): number => 1000 * (c + 1) + 10 * ci + f + 1;
    for (let c = 0; c < l.cpus; c++) {
      LOCK_CLASSES.forEach((_, ci) => {
        for (let f = 0; f < 4; f++) Atomics.add(m.i32, lockStatAt(l, c, ci) + f, value(c, ci, f));
      });
      COUNTER_NAMES.forEach((name, i) =>
        Atomics.add(m.i32, cpuAt(l, c) + CPU_COUNTERS + COUNTER_SLOTS[name], (c + 1) * (i + 1)),
      );
    }
    const after = snapshot(m.i32, m.cfg);
    const d = diffSnapshots(before, after);
    const cpus = Array.from({ length: l.cpus }, (_, c) => c);
    LOCK_CLASSES.forEach((cls, ci) => {
      const sum = (f: number): number => cpus.reduce((a, c) => a + value(c, ci, f), 0);
      expect(d.locks[cls]).toEqual({ acq: sum(0), contended: sum(1), spins: sum(2), parks: sum(3) });
      expect(after.locks[cls].acq - before.locks[cls].acq).toBe(sum(0));
    });
    COUNTER_NAMES.forEach((name, i) => {
      expect(d.total[name]).toBe(cpus.reduce((a, c) => a + (c + 1) * (i + 1), 0));
      expect(d.perCpu.map((row) => row[name])).toEqual(cpus.map((c) => (c + 1) * (i + 1)));
    });
  });
});
