/**
 * The geometric-mean summary by hand: only pairs with both values positive
 * and finite count, each weighing the same; the change is next/base − 1.
 */
import { describe, expect, it } from 'vitest';

import { geoMean } from '../../src/analysis/geomean.js';

describe('geoMean', () => {
  it('uses only pairs with both values positive and finite', () => {
    const g = geoMean([
      [4, 8],
      [0, 5],
      [5, -1],
      [NaN, 5],
      [5, Infinity],
      [Infinity, 5],
      [9, 2],
    ])!;
    // Usable: (4, 8) and (9, 2): base √36 = 6, next √16 = 4.
    expect(g.pairs).toBe(2);
    expect(g.base).toBeCloseTo(6, 12);
    expect(g.next).toBeCloseTo(4, 12);
    expect(g.changePct).toBeCloseTo((4 / 6 - 1) * 100, 10);
  });

  it('is null when no pair is usable', () => {
    expect(geoMean([])).toBeNull();
    expect(geoMean([[3, 0]])).toBeNull();
  });
});
