/**
 * Bad-input errors. The CLI prints `error.message` as one line and exits with
 * a usage status, so every message names the option, the offending value and
 * what would have been accepted.
 */
import { quote } from '../rows/quote.js';
import { closest } from './args/suggest.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The option the error is about (e.g. '--threads'), when there is one. */
  readonly option: string | undefined;

  constructor(message: string, option?: string) {
    // Callers print the message as a single line; never let a newline through.
    super(message.replace(/[\r\n\u2028\u2029]+/g, ' '));
    this.option = option;
  }
}

export { quote };

/** An unknown-option message lists the options of a table up to this long; a longer one points at --help. */
const MAX_LISTED_OPTIONS = 8;

/** "a, b, or c": the way allowed values are listed in messages and help. */
export function listAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} or ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

/**
 * Factories, so each kind of mistake is worded the same way everywhere.
 * Each returns a UsageError ready to throw: `throw Errors.missingValue('--runs')`.
 */
export const Errors = {
  /** Suggests the nearest known option when there is one; lists a short table's options; else points at --help. */
  unknownOption: (arg: string, known: readonly string[] = []) => {
    const near = arg.startsWith('--') ? closest(arg.replace(/=.*$/, ''), known) : null;
    return new UsageError(
      // Name a plain --flag as is, like every other message; quote anything else (empty, odd, or with control characters).
      `${arg.startsWith('--') && quote(arg) === `'${arg}'` ? arg : quote(arg)}: unknown option` +
        (near !== null
          ? `; did you mean ${near}? (--help lists every option)`
          : known.length > 0 && known.length <= MAX_LISTED_OPTIONS
            ? `; options are ${listAlternatives(known)}`
            : '; run with --help to list the options'),
      arg,
    );
  },

  missingValue: (flag: string) => new UsageError(`${flag}: missing value; write ${flag} VALUE or ${flag}=VALUE`, flag),

  unexpectedValue: (flag: string, value: string) =>
    new UsageError(`${flag}: takes no value, but was given ${quote(value)}`, flag),

  notNumber: (flag: string, value: string) =>
    new UsageError(`${flag}: ${quote(value)} is not a number; write a plain decimal such as 3 or 0.25`, flag),

  notInteger: (flag: string, value: string, min: number, max: number) =>
    new UsageError(`${flag}: ${quote(value)} is not an integer; allowed: integers from ${min} to ${max}`, flag),

  /** `what` completes "... is not allowed; <what> from min to max", e.g. 'thread counts are integers'. */
  outOfRange: (flag: string, value: string, min: number, max: number, what = 'allowed: integers') =>
    new UsageError(`${flag}: ${quote(value)} is not allowed; ${what} from ${min} to ${max}`, flag),

  /** Value must be > 0 (and <= max when given). */
  notPositive: (flag: string, value: string, max?: number) =>
    new UsageError(
      `${flag}: ${quote(value)} is not allowed; must be a number greater than 0` +
        (max === undefined ? '' : ` and at most ${max}`),
      flag,
    ),

  /** Value must be >= 0. */
  negative: (flag: string, value: string) =>
    new UsageError(`${flag}: ${quote(value)} is not allowed; must be a number of 0 or more`, flag),

  unknownName: (flag: string, value: string, allowed: readonly string[]) =>
    new UsageError(`${flag}: unknown value ${quote(value)}; allowed: ${listAlternatives(allowed)}`, flag),

  emptyItem: (flag: string, list: string) =>
    new UsageError(`${flag}: empty item in ${quote(list)}; separate items with single commas`, flag),

  badThreadItem: (flag: string, item: string, max: number) =>
    new UsageError(
      `${flag}: ${quote(item)} is not a thread count; items are N, A-B or max, with counts from 1 to ${max}`,
      flag,
    ),

  reversedRange: (flag: string, item: string) =>
    new UsageError(`${flag}: range ${quote(item)} runs backwards; write the smaller number first`, flag),

  emptyPath: (flag: string) => new UsageError(`${flag}: '' is not allowed; give a file path`, flag),

  samePath: (flag: string, path: string, other: string) =>
    new UsageError(`${flag}: ${quote(path)} is also the ${other} file; give the two outputs different paths`, flag),

  unwritable: (flag: string, path: string, reason: string) =>
    new UsageError(`${flag}: cannot write ${quote(path)}: ${reason}`, flag),

  badProfile: (flag: string, value: string, names: readonly string[], why: string) =>
    new UsageError(
      `${flag}: ${quote(value)} is not a usable profile (${why.replace(/\s+/g, ' ')}); allowed: ${listAlternatives(names)}, or a profile JSON file's path`,
      flag,
    ),

  exists: (flag: string, path: string) =>
    new UsageError(`${flag}: ${quote(path)} already exists; choose another path or pass --force to overwrite it`, flag),

  badTopology: (flag: string, value: string) =>
    new UsageError(
      `${flag}: ${quote(value)} is not a topology; write SOCKETSxCORESxTHREADS, e.g. 8x10x2 (sockets, cores per socket, threads per core, each from 1)`,
      flag,
    ),

  topologyTooBig: (flag: string, value: string, cpus: number, max: number) =>
    new UsageError(
      `${flag}: ${quote(value)} has ${cpus} CPUs, more than the ${max} threads a sweep can use; allowed: at most ${max} CPUs`,
      flag,
    ),

  notForTarget: (flag: string, target: string, targets: readonly string[]) =>
    new UsageError(
      targets.length === 0
        ? `${flag}: applies only to a target that simulates a machine, and none is built in; not to --target ${target}`
        : `${flag}: applies only to ${listAlternatives(targets.map((t) => `--target ${t}`))}, not to --target ${target}`,
      flag,
    ),

  unusable: (flag: string, value: string, why: string) =>
    new UsageError(`${flag}: ${quote(value)} cannot be used: ${why.replace(/\s+/g, ' ')}`, flag),

  tooBig: (flag: string, value: string, writers: number, needed: number, limit: number) =>
    new UsageError(
      `${flag}: ${quote(value)} pages with ${writers} writers needs ${(needed / 1024 ** 3).toFixed(2)} GiB of shared memory; ` +
        `at most ${(limit / 1024 ** 3).toFixed(2)} GiB is allowed: use fewer pages or threads`,
      flag,
    ),
} as const;
