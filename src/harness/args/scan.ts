/**
 * The syntax pass over argv, on node:util parseArgs tokens: which options were
 * given with which text, positionals, and the first mistake. Values are not
 * checked here; that is the table's job (parse.ts), once --help is ruled out.
 */
import { parseArgs } from 'node:util';

import { Errors, type UsageError } from '../errors.js';
import type { AnyOption, OptionTable } from './spec.js';

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
type Entry = { readonly key: string; readonly o: AnyOption };

/** Each option's names (aliases too) to its entry; the names --help lists; what parseArgs must know (which take a value). */
function indexTable(table: OptionTable) {
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
  return { byName: byName as ReadonlyMap<string, Entry>, listed, options };
}

/** What the scan has found so far. */
class Found {
  help = false;
  firstError: UsageError | undefined;
  readonly values = new Map<string, string>();
  readonly spelled = new Map<string, string>();
  readonly flags = new Set<string>();
  readonly words: string[] = [];
  readonly passthrough: string[] = [];
  private readonly passed = new Set<number>(); // argv indexes already passed through (a short group is several tokens)

  private readonly argv: readonly string[];

  constructor(argv: readonly string[]) {
    this.argv = argv;
  }

  fail(e: UsageError): void {
    this.firstError ??= e;
  }

  pass(index: number): void {
    if (!this.passed.has(index)) this.passthrough.push(this.argv[index]!);
    this.passed.add(index);
  }
}

export function scan(table: OptionTable, argv: readonly string[], positionals: Positionals): Scan {
  const { byName, listed, options } = indexTable(table);
  const found = new Found(argv);
  // parseArgs takes the next argument as a value even when it is an option; here that means the value was
  // forgotten (`--runs --quick`), so such a token is reported and the scan starts again after the option.
  let start: number | null = 0;
  while (start !== null) {
    const { tokens } = parseArgs({
      args: argv.slice(start),
      options,
      strict: false,
      allowPositionals: true,
      tokens: true,
    });
    const read: Read = { argv, start, positionals, listed, byName, found };
    start = readTokens(tokens as Token[], read);
  }
  const { help, values, spelled, flags, words, passthrough, firstError } = found;
  return { help, values, spelled, flags, positionals: words, passthrough, firstError };
}

interface Read {
  readonly argv: readonly string[];
  /** The argv index parseArgs's tokens count from. */
  readonly start: number;
  readonly positionals: Positionals;
  readonly listed: readonly string[];
  readonly byName: ReadonlyMap<string, Entry>;
  readonly found: Found;
}

/** Reads one parseArgs pass; returns where the next pass starts after a forgotten value, or null when done. */
function readTokens(tokens: readonly Token[], r: Read): number | null {
  const { argv, positionals, found } = r;
  let ended = false; // after `--`
  for (const t of tokens) {
    const index = r.start + t.index;
    const arg = argv[index]!;
    if (t.kind === 'option-terminator') {
      ended = true;
      if (positionals === 'passthrough') found.pass(index);
      else if (positionals === 'none') found.fail(Errors.unknownOption(arg, r.listed));
    } else if (t.kind === 'positional') {
      if (positionals === 'passthrough') found.pass(index);
      else if (positionals === 'allowed' || ended) found.words.push(t.value);
      else found.fail(Errors.unknownOption(arg, r.listed));
    } else if (arg === '-h') {
      found.help = true;
    } else if (readOption(t, index, r) === 'restart') {
      return index + 1;
    }
  }
  return null;
}

/** One option token; 'restart' when its value was forgotten and the next argument is an option. */
function readOption(t: Extract<Token, { kind: 'option' }>, index: number, r: Read): 'restart' | void {
  const { found } = r;
  const entry = t.rawName.startsWith('--') ? r.byName.get(t.rawName) : undefined;
  if (entry === undefined) {
    if (r.positionals === 'passthrough') found.pass(index);
    // A long option is named without its =value; anything else (-x, -abc) as written.
    else found.fail(Errors.unknownOption(t.rawName.startsWith('--') ? t.rawName : r.argv[index]!, r.listed));
    return;
  }
  const { key, o } = entry;
  if (o.kind === 'refused') return found.fail(o.error());
  if (o.kind !== 'value') {
    if (t.inlineValue) found.fail(Errors.unexpectedValue(t.rawName, t.value ?? ''));
    else if (o.kind === 'help') found.help = true;
    else found.flags.add(key);
    return;
  }
  if (t.value === undefined) return found.fail(Errors.missingValue(t.rawName));
  if (!t.inlineValue && t.value.startsWith('--')) {
    // `--csv=--odd` still works; `--csv --json` is a forgotten value.
    found.fail(Errors.missingValue(t.rawName));
    return 'restart';
  }
  found.values.set(key, t.value);
  found.spelled.set(key, t.rawName);
}
