/**
 * The one rule for a numeric cell of a results file, used wherever a cell
 * becomes a number: a finite decimal (`12`, `-0.5`, `1e6`, surrounding blanks
 * ignored) is that number; an empty cell, a missing column or anything else is
 * NaN, "not measured". (`Number('')` would say 0, which is a measurement.)
 * The reader goes further and refuses a non-empty cell that is not a number.
 */

// The one definition of a decimal in text, for results cells and option values
// alike: a sign, then digits with an optional point or a point and digits. Never
// hex, Infinity or NaN, which Number() would take.
const MANTISSA = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
/** A cell: a decimal, with an exponent allowed (`1e6`). */
const DECIMAL = new RegExp(`^${MANTISSA}(?:[eE][+-]?\\d+)?$`);
/** An option value: a decimal without an exponent, which on a command line is almost always a typo. */
const PLAIN_DECIMAL = new RegExp(`^${MANTISSA}$`);

/** Whether `text` (trimmed) is a decimal number, exponent allowed. */
export const isDecimal = (text: string): boolean => DECIMAL.test(text.trim());

/** Whether `text`, exactly as given (no blanks around it), is a decimal with no exponent. */
export const isPlainDecimal = (text: string): boolean => PLAIN_DECIMAL.test(text);

export function cellNumber(v: string | number | null | undefined): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  const t = v.trim();
  if (!DECIMAL.test(t)) return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}
