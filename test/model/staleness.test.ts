/** Staleness accounting on hand-built traces of stores and polls. */
import { describe, expect, it } from 'vitest';
import { StalenessTracker, windowed } from '../../src/model/staleness.js';

const attr = (iversion: number, ctime = 0) => ({ iversion, mtime: ctime, ctime });

describe('StalenessTracker', () => {
  it('charges each store the time to the first poll that saw a change after it', () => {
    const t = new StalenessTracker(1);
    t.stored(0, 100);
    t.stored(0, 200);
    expect(t.poll(0, 150, attr(0))).toBe(false); // unchanged from the file as created
    expect(t.poll(0, 250, attr(1))).toBe(true);
    expect(t.noticed).toEqual([
      { storeUs: 100, lagUs: 150 },
      { storeUs: 200, lagUs: 50 },
    ]);
    t.stored(0, 300);
    expect(t.poll(0, 400, attr(1))).toBe(false);
    expect(t.unnoticed()).toEqual([300]);
    // A timestamp change alone is a change too.
    expect(t.poll(0, 500, attr(1, 7))).toBe(true);
    expect(t.noticed.at(-1)).toEqual({ storeUs: 300, lagUs: 200 });
    expect(t.unnoticed()).toEqual([]);
  });

  it('leaves a store made after the poll started for the next change', () => {
    const t = new StalenessTracker(1);
    t.stored(0, 100);
    t.stored(0, 300); // published before the poll was processed, but made after it started
    expect(t.poll(0, 200, attr(1))).toBe(true);
    expect(t.noticed).toEqual([{ storeUs: 100, lagUs: 100 }]);
    expect(t.unnoticed()).toEqual([300]);
    expect(t.poll(0, 400, attr(2))).toBe(true);
    expect(t.noticed.at(-1)).toEqual({ storeUs: 300, lagUs: 100 });
  });

  it('keeps files apart', () => {
    const t = new StalenessTracker(2);
    t.stored(0, 10);
    t.stored(1, 20);
    t.poll(1, 30, attr(1));
    expect(t.noticed).toEqual([{ storeUs: 20, lagUs: 10 }]);
    expect(t.unnoticed()).toEqual([10]);
  });

  it('windowed keeps only stores made inside the measured window', () => {
    const noticed = [
      { storeUs: 5, lagUs: 1 },
      { storeUs: 15, lagUs: 2 },
      { storeUs: 25, lagUs: 3 },
    ];
    const w = windowed(noticed, [12, 30], 10, 26);
    expect(w.lagsUs).toEqual([2, 3]);
    expect(w.unnoticed).toBe(1);
    expect(w.samples).toBe(3);
  });
});
