/**
 * `faultscale scenario <name> [--strategy LIST] [--target model|kernel] [--dir PATH] [--format text|json]`
 * and `--list`. Exit status: 0 ran, 2 bad input (one line).
 */
import { runMain } from './main.js';
import {
  flagOption,
  helpOption,
  oneOfOption,
  optionHelp,
  parseCommandLine,
  parseNames,
  refusedOption,
  textOption,
  valueOption,
} from '../harness/args/index.js';
import { Errors, UsageError } from '../harness/errors.js';
import { kernelRunJson, kernelScenarioCommand } from '../harness/kernel-scenario.js';
import { verdictTable } from '../output/verdicts.js';
import { SCENARIOS, SCENARIO_NAMES, runScenario, verdictsJson, type ScenarioName } from '../model/scenarios.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';

/** The model steps any scenario; the live kernel those it can show. */
const SCENARIO_TARGETS = ['model', 'kernel'] as const;
type ScenarioTarget = (typeof SCENARIO_TARGETS)[number];
const SCENARIO_FORMATS = ['text', 'json'] as const;
type ScenarioFormat = (typeof SCENARIO_FORMATS)[number];

const OPTIONS = {
  strategies: valueOption({
    name: '--strategy',
    metavar: 'LIST',
    help: [`strategies to run (default all): ${STRATEGY_NAMES.join(', ')}`],
    parse: (raw, flag) => parseNames(flag, raw, STRATEGY_NAMES),
    default: () => [...STRATEGY_NAMES] as StrategyName[],
  }),
  target: oneOfOption<ScenarioTarget>(SCENARIO_TARGETS, 'model', {
    name: '--target',
    metavar: 'T',
    help: ["model (default) or kernel: this machine's kernel, on a real file"],
  }),
  dir: textOption({
    name: '--dir',
    metavar: 'PATH',
    help: ['where --target kernel creates its file (default: the OS temp directory)'],
  }),
  format: oneOfOption<ScenarioFormat>(SCENARIO_FORMATS, 'text', {
    name: '--format',
    metavar: 'F',
    help: [
      'text (default: every step, then the verdicts) or json: only the verdicts, as',
      '{"scenario", "verdicts": [{"strategy", "faulted", "noticed", "after_sec"}]}; the kernel adds',
      '"target", "kernel" and each verdict\'s "fs" and "faults"',
    ],
  }),
  // --json was this command's switch for JSON on stdout; across faultscale --json PATH names a file.
  json: refusedOption(
    '--json',
    false,
    () =>
      new UsageError(
        '--json: write --format json to print the verdicts as JSON (--json PATH names an output file in bench)',
        '--json',
      ),
  ),
  list: flagOption({ name: '--list', help: ['list the scenarios'] }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: faultscale scenario <name> [--strategy LIST] [--target model|kernel] [--dir PATH] [--format text|json]',
  '       faultscale scenario --list           (or npm run scenario -- ...)',
  'Runs a deterministic scenario under each strategy, printing every step, then a verdict table.',
  `  <name>            ${SCENARIO_NAMES.join(', ')}`,
  ...optionHelp(OPTIONS, { kind: 'column', width: 18 }),
  'Exit status: 0 ran (whatever the verdicts), 2 bad input (one line on stderr).',
].join('\n');

type Parsed =
  | { kind: 'list' }
  | { kind: 'help' }
  | {
      kind: 'run';
      name: ScenarioName;
      strategies: StrategyName[];
      target: ScenarioTarget;
      dir: string | undefined;
      json: boolean;
    };

function parse(argv: readonly string[]): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help') return { kind: 'help' };
  const { list, strategies, target, dir, format } = parsed.values;
  const json = format === 'json';
  if (list) return { kind: 'list' };
  const [name, extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`scenario: only one name may be given, got '${name}' and '${extra}'`);
  if (name === undefined)
    throw new UsageError(`scenario: no name given; one of ${SCENARIO_NAMES.join(', ')} (or --list)`);
  const found = SCENARIO_NAMES.find((n) => n === name);
  if (found === undefined) throw Errors.unknownName('scenario', name, SCENARIO_NAMES);
  if (dir !== undefined && target !== 'kernel')
    throw new UsageError(`--dir: only --target kernel creates files; drop --dir or add --target kernel`, '--dir');
  return { kind: 'run', name: found, strategies, target, dir, json };
}

function main(argv: readonly string[]): number {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'list') {
    for (const n of SCENARIO_NAMES) process.stdout.write(`${n}\n    ${SCENARIOS[n].about}\n`);
    return 0;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  if (parsed.target === 'kernel') {
    const run = kernelScenarioCommand(parsed.name, parsed.dir, log, parsed.json);
    if (parsed.json) log(kernelRunJson(parsed.name, run));
    return 0;
  }
  if (parsed.json) {
    log(verdictsJson(parsed.name, runScenario(parsed.name, parsed.strategies)));
    return 0;
  }
  log(`${parsed.name}: ${SCENARIOS[parsed.name].about}`);
  const verdicts = runScenario(parsed.name, parsed.strategies, log);
  log('');
  log(verdictTable(parsed.name, verdicts));
  return 0;
}

await runMain(main);
