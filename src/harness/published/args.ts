/** Options of `validate:published`. */
import {
  alsoWriteOption,
  csvDirOption,
  helpOption,
  optionHelp,
  parseCommandLine,
  parseIntIn,
  parseNames,
  valueOption,
} from '../args/index.js';
import { listAlternatives } from '../errors.js';
import { HZ_VALUES } from '../../model/config.js';

export interface PublishedArgs {
  readonly hz: number[];
  readonly seed: number;
  /** Where the sweeps' CSVs are kept; null: a temporary directory, removed. */
  readonly outDir: string | null;
  readonly jsonPath: string | null;
}

export type PublishedParse = { kind: 'help'; text: string } | { kind: 'run'; options: PublishedArgs };

/** The report's kernel was built at one of these; the 2013 figures are given at each. */
export const PUBLISHED_DEFAULT_HZ = [250, 1000] as const;
const HZ_NAMES = HZ_VALUES.map(String);

function publishedOptions(cwd: string) {
  return {
    hz: valueOption({
      name: '--hz',
      metavar: 'LIST',
      help: [
        `CONFIG_HZ values to run the tick-dependent figures at: ${listAlternatives(HZ_NAMES)}. Default: ${PUBLISHED_DEFAULT_HZ.join(',')}.`,
      ],
      parse: (raw, flag) => parseNames(flag, raw, HZ_NAMES).map(Number),
      default: () => [...PUBLISHED_DEFAULT_HZ] as number[],
    }),
    seed: valueOption({
      name: '--seed',
      metavar: 'N',
      help: ["Seed of each configuration's first run, 0 to 2147483647. Default: 1."],
      parse: (raw, flag) => parseIntIn(flag, raw, 0, 2147483647),
      default: () => 1,
    }),
    outDir: csvDirOption(cwd, "Keep the sweeps' CSVs in DIR. Default: a temporary directory, removed."),
    jsonPath: alsoWriteOption('--json', cwd, 'Also write the table as JSON to PATH. Default: none.'),
    help: helpOption(['Show this help and exit.'], { label: '--help, -h' }),
  };
}

export function publishedHelp(): string {
  return [
    'Usage: faultscale validate-published [--hz LIST] [--seed N] [--csv-dir DIR] [--json PATH]',
    '',
    'Runs the virtual target (westmere-ex-8s) at the configurations of published many-core figures and prints',
    "each figure beside the model's, with the tolerance declared before the model was run, the gap, and where",
    "the model's time goes. Exit status: 0 when every figure ran (within tolerance or not), 1 when a run failed,",
    '2 on bad input, 130/143 when interrupted.',
    '',
    ...optionHelp(publishedOptions('.'), { kind: 'column', width: 17 }),
  ].join('\n');
}

export function parsePublishedArgs(argv: readonly string[], cwd: string): PublishedParse {
  const parsed = parseCommandLine(publishedOptions(cwd), argv);
  if (parsed.kind === 'help') return { kind: 'help', text: publishedHelp() };
  const v = parsed.values;
  return { kind: 'run', options: { hz: [...new Set(v.hz)], seed: v.seed, outDir: v.outDir, jsonPath: v.jsonPath } };
}
