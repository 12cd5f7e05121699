/**
 * The syntax pass over argv, on node:util parseArgs tokens: which options were
 * given with which text, positionals, and the first mistake. Values are not
 * checked here; that is the table's job (parse.ts), once --help is ruled out.
 */
import { parseArgs } from 'node:util';

import { Errors, type UsageError } from '../errors.js';
import type { OptionTable } from './spec.js';

/** What the command does with words and options that are not in its table. */
export type Positionals =
  /** Every one is a mistake (an unknown option). */
  | 'none'
  /** Words are positionals; `--` ends the options. Unknown options are mistakes. */
  | 'allowed'
  /** Words and unknown options are kept verbatim, in order, for another command's parser. */
  | 'passthrough';

export interface Scan {
  readonly help: boolean;
  /** Raw text of each value option given, by table key (last occurrence). */
  readonly values: ReadonlyMap<string, string>;
  /** The spelling each value option was given as (its name or an alias), by table key, so messages name what was typed. */
  readonly spelled: ReadonlyMap<string, string>;
  /** Table keys of the flags given. */
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
  /** With 'passthrough': the arguments not ours, as given. */
  readonly passthrough: readonly string[];
  readonly firstError: UsageError | undefined;
}

type Token = ReturnType<typeof parseArgs>['tokens'] extends (infer T)[] | undefined ? T : never;

export function scan(table: OptionTable, argv: readonly string[], positionals: Positionals): Scan {
  const byName = new Map(
    Object.entries(table).flatMap(([key, o]) =>
      [o.name, ...(o.kind === 'refused' ? [] : (o.aliases ?? []))].map((name) => [name, { key, o }] as const),
    ),
  );
  const listed = Object.values(table)
    .filter((o) => o.kind !== 'refused')
    .map((o) => o.name);
  // parseArgs only needs to know which options take a value; everything else it reports as a boolean option.
  const options = Object.fromEntries(
    Object.values(table)
      .filter((o) => o.kind === 'value' || (o.kind === 'refused' && o.takesValue))
      .flatMap((o) =>
        [o.name, ...(o.kind === 'value' ? (o.aliases ?? []) : [])].map((name) => [
          name.slice(2),
          { type: 'string' as const },
        ]),
      ),
  );

  let help = false;
  let firstError: UsageError | undefined;
  const fail = (e: UsageError): void => {
    firstError ??= e;
  };
  const values = new Map<string, string>();
  const spelled = new Map<string, string>();
  const flags = new Set<string>();
  const words: string[] = [];
  const passthrough: string[] = [];
  const passed = new Set<number>(); // argv indexes already passed through (a short group is several tokens)
  const pass = (index: number): void => {
    if (!passed.has(index)) passthrough.push(argv[index]!);
    passed.add(index);
  };

  // parseArgs takes the next argument as a value even when it is an option; here that means the value was
  // forgotten (`--runs --quick`), so such a token is reported and the scan starts again after the option.
  let start = 0;
  let restart = true;
  while (restart) {
    restart = false;
    const { tokens } = parseArgs({
      args: argv.slice(start),
      options,
      strict: false,
      allowPositionals: true,
      tokens: true,
    });
    let ended = false; // after `--`
    for (const t of tokens as Token[]) {
      const index = start + t.index;
      const arg = argv[index]!;
      if (t.kind === 'option-terminator') {
        ended = true;
        if (positionals === 'passthrough') pass(index);
        else if (positionals === 'none') fail(Errors.unknownOption(arg, listed));
        continue;
      }
      if (t.kind === 'positional') {
        if (positionals === 'passthrough') pass(index);
        else if (positionals === 'allowed' || ended) words.push(t.value);
        else fail(Errors.unknownOption(arg, listed));
        continue;
      }
      if (arg === '-h') {
        help = true;
        continue;
      }
      const entry = t.rawName.startsWith('--') ? byName.get(t.rawName as `--${string}`) : undefined;
      if (entry === undefined) {
        if (positionals === 'passthrough') pass(index);
        // A long option is named without its =value; anything else (-x, -abc) as written.
        else fail(Errors.unknownOption(t.rawName.startsWith('--') ? t.rawName : arg, listed));
        continue;
      }
      const { key, o } = entry;
      if (o.kind === 'refused') {
        fail(o.error());
        continue;
      }
      if (o.kind !== 'value') {
        if (t.inlineValue) fail(Errors.unexpectedValue(t.rawName, t.value ?? ''));
        else if (o.kind === 'help') help = true;
        else flags.add(key);
        continue;
      }
      if (t.value === undefined) {
        fail(Errors.missingValue(t.rawName));
        continue;
      }
      if (!t.inlineValue && t.value.startsWith('--')) {
        // `--csv=--odd` still works; `--csv --json` is a forgotten value.
        fail(Errors.missingValue(t.rawName));
        start = index + 1;
        restart = true;
        break;
      }
      values.set(key, t.value);
      spelled.set(key, t.rawName);
    }
  }
  return { help, values, spelled, flags, positionals: words, passthrough, firstError };
}
