/**
 * The one rule for a numeric cell of a results file, used wherever a cell
 * becomes a number: a finite decimal (`12`, `-0.5`, `1e6`, surrounding blanks
 * ignored) is that number; an empty cell, a missing column or anything else is
 * NaN, "not measured". (`Number('')` would say 0, which is a measurement.)
 * The reader goes further and refuses a non-empty cell that is not a number.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether `text` (trimmed) is a plain decimal number. */
export const isDecimal = (text: string): boolean => DECIMAL.test(text.trim());

export function cellNumber(v: string | number | null | undefined): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  const t = v.trim();
  if (!DECIMAL.test(t)) return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}
