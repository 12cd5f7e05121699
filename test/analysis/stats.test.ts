import { describe, it, expect } from 'vitest';
import { tQuantile, tCdf, summarize, percentile, sampleMedian } from '../../src/analysis/stats.js';

describe('tQuantile', () => {
  const table: [number, number][] = [
    [1, 12.706],
    [4, 2.776],
    [9, 2.262],
    [29, 2.045],
    [1000, 1.962],
  ];
  for (const [df, expected] of table) {
    it(`t(0.975, ${df}) = ${expected}`, () => {
      expect(tQuantile(0.975, df)).toBeCloseTo(expected, 3);
    });
    it(`is symmetric for df=${df}`, () => {
      expect(tQuantile(0.025, df)).toBeCloseTo(-tQuantile(0.975, df), 9);
    });
  }

  it('returns 0 at the median', () => {
    expect(tQuantile(0.5, 7)).toBe(0);
  });

  it('matches the closed form for df=1 (Cauchy)', () => {
    for (const p of [0.6, 0.9, 0.995, 0.9999]) {
      expect(tQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 6);
    }
  });

  it('inverts the CDF', () => {
    for (const df of [2, 5.5, 30]) {
      for (const p of [0.01, 0.3, 0.8, 0.999]) {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
      }
    }
  });

  it('rejects bad arguments', () => {
    expect(() => tQuantile(0, 5)).toThrow(RangeError);
    expect(() => tQuantile(1, 5)).toThrow(RangeError);
    expect(() => tQuantile(Number.NaN, 5)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => tQuantile(0.5, -1)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('summarizes known data', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    const sd = Math.sqrt(2.5);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.median).toBe(3);
    expect(s.stddev).toBeCloseTo(1.5811, 4);
    expect(s.cv).toBeCloseTo(sd / 3, 10);
    expect(s.min).toBe(1);
    expect(s.max).toBe(5);
    expect(s.ci95HalfWidth).toBeCloseTo((2.776 * 1.5811) / Math.sqrt(5), 3);
    expect(s.ci95Low).toBeCloseTo(3 - s.ci95HalfWidth, 12);
    expect(s.ci95High).toBeCloseTo(3 + s.ci95HalfWidth, 12);
  });

  it('gives zero spread and NaN CI for a single sample', () => {
    const s = summarize([42]);
    expect(s.n).toBe(1);
    expect(s.mean).toBe(42);
    expect(s.median).toBe(42);
    expect(s.stddev).toBe(0);
    expect(s.cv).toBe(0);
    expect(s.min).toBe(42);
    expect(s.max).toBe(42);
    expect(s.ci95HalfWidth).toBeNaN();
    expect(s.ci95Low).toBeNaN();
    expect(s.ci95High).toBeNaN();
  });

  it('reports cv 0 when the mean is 0', () => {
    expect(summarize([-1, 1]).cv).toBe(0);
  });

  it('throws on empty input', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  const xs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  it('uses nearest rank', () => {
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 0.1)).toBe(10);
    expect(percentile(xs, 0.11)).toBe(20);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(100);
    expect(percentile(xs, 1)).toBe(100);
    expect(percentile([7], 0.5)).toBe(7);
  });
  it('is NaN for an empty array', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
  it('rejects q outside [0,1]', () => {
    expect(() => percentile(xs, -0.1)).toThrow(RangeError);
    expect(() => percentile(xs, 1.1)).toThrow(RangeError);
  });
});

describe('sampleMedian', () => {
  it('is the middle sample, the mean of the middle two, NaN of none, and leaves its input alone', () => {
    const xs = [4, 1, 3, 2];
    expect(sampleMedian([3, 1, 2])).toBe(2);
    expect(sampleMedian(xs)).toBe(2.5);
    expect(xs).toEqual([4, 1, 3, 2]);
    expect(sampleMedian([])).toBeNaN();
  });
});
