/**
 * Validators for option values: numbers, names and comma lists. Each takes the
 * option's name and its raw text and throws the Errors factory's UsageError, so
 * every command words the same mistake the same way.
 */
import { isPlainDecimal } from '../../rows/cell.js';
import { Errors } from '../errors.js';

export const INTEGER = /^[+-]?\d+$/;

export function parseDecimal(flag: string, raw: string): number {
  if (!isPlainDecimal(raw)) throw Errors.notNumber(flag, raw);
  const n = Number(raw);
  if (!Number.isFinite(n)) throw Errors.notNumber(flag, raw); // e.g. 400 digits
  return n;
}

/** An integer from min to max; `what` words the range in the message (see Errors.outOfRange). */
export function parseIntIn(flag: string, raw: string, min: number, max: number, what?: string): number {
  if (!INTEGER.test(raw)) throw Errors.notInteger(flag, raw, min, max);
  const n = Number(raw);
  if (!(n >= min && n <= max)) throw Errors.outOfRange(flag, raw, min, max, what);
  return n;
}

/** > 0, and <= max when given. */
export function parsePositive(flag: string, raw: string, max?: number): number {
  const n = parseDecimal(flag, raw);
  if (!(n > 0) || (max !== undefined && n > max)) throw Errors.notPositive(flag, raw, max);
  return n;
}

export function parseNonNegative(flag: string, raw: string): number {
  const n = parseDecimal(flag, raw);
  if (!(n >= 0)) throw Errors.negative(flag, raw);
  return n === 0 ? 0 : n; // no -0 in the results
}

/** Splits a comma list, trimming spaces around items; empty items are mistakes, not no-ops. */
export function splitList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw Errors.emptyItem(flag, raw);
  return items;
}

/** Names from `names` (or 'all'), deduplicated and returned in `names` order. */
export function parseNames<T extends string>(flag: string, raw: string, names: readonly T[]): T[] {
  const chosen = new Set<string>();
  for (const item of splitList(flag, raw)) {
    if (item === 'all') names.forEach((n) => chosen.add(n));
    else if ((names as readonly string[]).includes(item)) chosen.add(item);
    else throw Errors.unknownName(flag, item, [...names, 'all']);
  }
  return names.filter((n) => chosen.has(n));
}

/** Exactly one of `names`. */
export function parseOneName<T extends string>(flag: string, raw: string, names: readonly T[]): T {
  const found = names.find((n) => n === raw);
  if (found === undefined) throw Errors.unknownName(flag, raw, names);
  return found;
}
