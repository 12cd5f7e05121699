/**
 * Option tables in groups, as hyperfine nests its Options: each group is the
 * table of one object a command fills, and its title is the --help section
 * its options appear under. Parsing gives one object per group, each field in
 * its table's order, so the object is carried whole to whatever it configures.
 */
import { parseCommandLine } from './parse.js';
import type { OptionTable, OptionValues } from './spec.js';

export interface OptionGroup<T extends OptionTable = OptionTable> {
  /** The --help section of the group's options. */
  readonly title: string;
  readonly options: T;
}

export type OptionGroups = Readonly<Record<string, OptionGroup>>;

export const optionGroup = <T extends OptionTable>(title: string, options: T): OptionGroup<T> => ({ title, options });

/** What parsing the groups gives: one object per group, its fields the group's values. */
export type GroupValues<G extends OptionGroups> = { readonly [K in keyof G]: OptionValues<G[K]['options']> };

/** The table key of every option in every group. */
export type GroupKey<G extends OptionGroups> = { [K in keyof G]: keyof G[K]['options'] & string }[keyof G];

export type ParsedGroups<G extends OptionGroups> =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run';
      readonly values: GroupValues<G>;
      /** Table keys of the options given on the command line (not defaulted). */
      readonly given: ReadonlySet<GroupKey<G>>;
      /** The text each value option was given, by table key. */
      readonly raw: ReadonlyMap<GroupKey<G>, string>;
    };

/** The groups as one table in their order, each option under its group's section; a key may name one option only. */
export function flatTable(groups: OptionGroups): OptionTable {
  const table: Record<string, OptionTable[string]> = {};
  for (const { title, options } of Object.values(groups)) {
    for (const [key, o] of Object.entries(options)) {
      if (key in table) throw new Error(`option key ${key} is in two groups`);
      table[key] = o.kind === 'refused' ? o : { ...o, section: title };
    }
  }
  return table;
}

/** Parses argv against the groups (parse.ts: --help first, then the first mistake, then values in order). */
export function parseGroups<G extends OptionGroups>(groups: G, argv: readonly string[]): ParsedGroups<G> {
  const parsed = parseCommandLine(flatTable(groups), argv);
  if (parsed.kind === 'help') return parsed;
  const flat = parsed.values as Readonly<Record<string, unknown>>;
  const values = Object.fromEntries(
    Object.entries(groups).map(([name, { options }]) => [
      name,
      Object.fromEntries(Object.keys(options).flatMap((key) => (key in flat ? [[key, flat[key]]] : []))),
    ]),
  );
  return {
    kind: 'run',
    values: values as GroupValues<G>,
    given: parsed.given as ReadonlySet<GroupKey<G>>,
    raw: parsed.raw as ReadonlyMap<GroupKey<G>, string>,
  };
}
