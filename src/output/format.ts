/**
 * How numbers read on a terminal and in the report: one rate formatter for
 * every table, and the chart labels' 3-significant-digit form.
 */

/** A rate with a k/M/G suffix, rounded to 4 significant digits first so 999999.99 reads 1.00M, not 1000.0k; '-' when not finite. */
export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const r = Number(x.toPrecision(4));
  if (r >= 1e9) return `${(r / 1e9).toFixed(2)}G`;
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(0);
}

/** 3 significant digits with an SI suffix, trailing zeros dropped: 2.19M, 950, 1.5k (chart labels). */
export function fmtSi(n: number): string {
  const a = Math.abs(n);
  const [d, s] = a >= 1e9 ? [1e9, 'G'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${Number((n / d).toPrecision(3))}${s}`;
}
