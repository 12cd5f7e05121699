/**
 * What a command's option table is made of. A table is a plain object whose
 * keys name the parsed values and whose entries say, declaratively, how each
 * option is written, parsed, defaulted and described in --help.
 */
import type { UsageError } from '../errors.js';
import { parseOneName } from './values.js';

/** A long option as written on the command line. */
export type OptionName = `--${string}`;

/** The values resolved so far, by table key: flags first, then values in table order. */
export type Resolved = Readonly<Record<string, unknown>>;

interface Described {
  /** Lines of --help text, without indentation. */
  readonly help: readonly string[];
  /** --help heading this option appears under (a new heading starts a new block). */
  readonly section?: string;
  /** How --help names the option, when not `name METAVAR` (e.g. `--help, -h`). */
  readonly label?: string;
  /** Older spellings still accepted for this option (e.g. `--out` for `--csv`); --help names them once. */
  readonly aliases?: readonly OptionName[];
}

/** An option that takes a value: `--opt VALUE` or `--opt=VALUE`; the last occurrence wins. */
export interface ValueOption<T> extends Described {
  readonly kind: 'value';
  readonly name: OptionName;
  /** The value's placeholder in --help, e.g. LIST, N, PATH. */
  readonly metavar: string;
  /** Checks and converts the text; throws a UsageError naming `flag` (use the Errors factories). */
  readonly parse: (raw: string, flag: OptionName, got: Resolved) => T;
  /** The value when the option is absent; may look at the flags and at the values before it in the table. */
  readonly default: (got: Resolved) => T;
}

/** A switch without a value; `--flag=x` is a mistake. Its parsed value is whether it was given. */
export interface FlagOption extends Described {
  readonly kind: 'flag';
  readonly name: OptionName;
}

/** `--help` (and `-h`): wins over every mistake next to it. */
export interface HelpOption extends Described {
  readonly kind: 'help';
  readonly name: '--help';
}

/** An option the command refuses with its own message (not listed in --help or among the options). */
export interface RefusedOption {
  readonly kind: 'refused';
  readonly name: OptionName;
  /** Whether a separate value follows it (skipped, so it is not taken for a stray word). */
  readonly takesValue: boolean;
  readonly error: () => UsageError;
}

// Values of any type sit side by side in one table; each entry's own type is kept by OptionValues below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOption = ValueOption<any> | FlagOption | HelpOption | RefusedOption;

export type OptionTable = Readonly<Record<string, AnyOption>>;

/** What parsing a table gives: each value option's type, `boolean` for each flag. */
export type OptionValues<T extends OptionTable> = {
  readonly [K in keyof T as T[K] extends HelpOption | RefusedOption ? never : K]: T[K] extends ValueOption<infer V>
    ? V
    : boolean;
};

/** Builders, so a table entry reads as one declaration and keeps its value type. */
export function valueOption<T>(spec: Omit<ValueOption<T>, 'kind'>): ValueOption<T> {
  return { kind: 'value', ...spec };
}

/** A value taken as written (a title, a directory checked later); undefined when not given. */
export function textOption(spec: Pick<ValueOption<string | undefined>, 'name' | 'metavar' | 'help'>) {
  return valueOption<string | undefined>({ ...spec, parse: (raw) => raw, default: () => undefined });
}

/** Exactly one of `names`; `fallback` when not given. */
export function oneOfOption<T extends string>(
  names: readonly T[],
  fallback: T,
  spec: Pick<ValueOption<T>, 'name' | 'metavar' | 'help'>,
): ValueOption<T> {
  return valueOption<T>({ ...spec, parse: (raw, flag) => parseOneName(flag, raw, names), default: () => fallback });
}

export function flagOption(spec: Omit<FlagOption, 'kind'>): FlagOption {
  return { kind: 'flag', ...spec };
}

export function helpOption(help: readonly string[], extra: { section?: string; label?: string } = {}): HelpOption {
  return { kind: 'help', name: '--help', help, ...extra };
}

export function refusedOption(name: OptionName, takesValue: boolean, error: () => UsageError): RefusedOption {
  return { kind: 'refused', name, takesValue, error };
}
