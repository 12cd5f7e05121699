/**
 * Parses argv against an option table: --help wins over any mistake, then the
 * first syntax mistake is thrown, then every value is parsed (or defaulted) in
 * table order, so each message names the option, the value and what is allowed.
 */
import { scan, type Positionals } from './scan.js';
import type { OptionTable, OptionValues } from './spec.js';

export type Parsed<T extends OptionTable> =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run';
      readonly values: OptionValues<T>;
      /** Table keys of the options given on the command line (not defaulted). */
      readonly given: ReadonlySet<keyof T & string>;
      /** The text each value option was given, by table key. */
      readonly raw: ReadonlyMap<keyof T & string, string>;
      /** How each value option given was spelled (its name, or an alias), by table key. */
      readonly spelled: ReadonlyMap<keyof T & string, string>;
      readonly positionals: readonly string[];
      readonly passthrough: readonly string[];
    };

export function parseCommandLine<T extends OptionTable>(
  table: T,
  argv: readonly string[],
  positionals: Positionals = 'none',
): Parsed<T> {
  const s = scan(table, argv, positionals);
  if (s.help) return { kind: 'help' };
  if (s.firstError) throw s.firstError;
  const got: Record<string, unknown> = {};
  const given = new Set<string>([...s.flags, ...s.values.keys()]);
  // Flags first: a flag such as --quick may change the defaults of values before it in the table.
  for (const [key, o] of Object.entries(table)) if (o.kind === 'flag') got[key] = s.flags.has(key);
  for (const [key, o] of Object.entries(table)) {
    if (o.kind !== 'value') continue;
    const raw = s.values.get(key);
    // A message names the option as it was typed: an old spelling (an alias) too.
    got[key] = raw === undefined ? o.default(got) : o.parse(raw, (s.spelled.get(key) ?? o.name) as typeof o.name, got);
  }
  return {
    kind: 'run',
    values: got as OptionValues<T>,
    given: given as ReadonlySet<keyof T & string>,
    raw: s.values as ReadonlyMap<keyof T & string, string>,
    spelled: s.spelled as ReadonlyMap<keyof T & string, string>,
    positionals: s.positionals,
    passthrough: s.passthrough,
  };
}
