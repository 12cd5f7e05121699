/** `npm run scenario -- <name> [--strategy LIST] [--target model|kernel] [--dir PATH] [--json]` and `--list`. Bad input: one line, exit code 2. */
import { runMain } from './main.js';
import { flagOption, helpOption, optionHelp, parseCommandLine, parseNames, parseOneName, valueOption } from '../harness/args/index.js';
import { Errors, UsageError } from '../harness/errors.js';
import { kernelScenarioCommand } from '../harness/kernel-scenario.js';
import { verdictTable } from '../output/verdicts.js';
import { SCENARIOS, SCENARIO_NAMES, runScenario, verdictsJson, type ScenarioName } from '../model/scenarios.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';

/** The model steps any scenario; the live kernel those it can show. */
const SCENARIO_TARGETS = ['model', 'kernel'] as const;
type ScenarioTarget = (typeof SCENARIO_TARGETS)[number];

const OPTIONS = {
  strategies: valueOption({
    name: '--strategy',
    metavar: 'LIST',
    help: [`strategies to run (default all): ${STRATEGY_NAMES.join(', ')}`],
    parse: (raw, flag) => parseNames(flag, raw, STRATEGY_NAMES),
    default: () => [...STRATEGY_NAMES] as StrategyName[],
  }),
  target: valueOption({
    name: '--target',
    metavar: 'T',
    help: ["model (default) or kernel: this machine's kernel, on a real file"],
    parse: (raw, flag) => parseOneName(flag, raw, SCENARIO_TARGETS),
    default: (): ScenarioTarget => 'model',
  }),
  dir: valueOption<string | undefined>({
    name: '--dir',
    metavar: 'PATH',
    help: ['where --target kernel creates its file (default: the OS temp directory)'],
    parse: (raw) => raw,
    default: () => undefined,
  }),
  json: flagOption({
    name: '--json',
    help: ['print only the verdicts, as JSON: {"scenario", "verdicts": [{"strategy", "faulted", "noticed", "after_sec"}]}'],
  }),
  list: flagOption({ name: '--list', help: ['list the scenarios'] }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: npm run scenario -- <name> [--strategy LIST] [--target model|kernel] [--dir PATH] [--json]   (or --list)',
  'Runs a deterministic scenario under each strategy, printing every step, then a verdict table.',
  `  <name>            ${SCENARIO_NAMES.join(', ')}`,
  ...optionHelp(OPTIONS, { kind: 'column', width: 18 }),
].join('\n');

type Parsed =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'run'; name: ScenarioName; strategies: StrategyName[]; target: ScenarioTarget; dir: string | undefined; json: boolean };

function parse(argv: readonly string[]): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help') return { kind: 'help' };
  const { list, strategies, target, dir, json } = parsed.values;
  if (list) return { kind: 'list' };
  const [name, extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`scenario: only one name may be given, got '${name}' and '${extra}'`);
  if (name === undefined) throw new UsageError(`scenario: no name given; one of ${SCENARIO_NAMES.join(', ')} (or --list)`);
  const found = SCENARIO_NAMES.find((n) => n === name);
  if (found === undefined) throw Errors.unknownName('scenario', name, SCENARIO_NAMES);
  if (dir !== undefined && target !== 'kernel') throw new UsageError(`--dir: only --target kernel creates files; drop --dir or add --target kernel`, '--dir');
  if (json && target === 'kernel') throw new UsageError('--json: only --target model prints its verdicts as JSON; drop --json or --target kernel', '--json');
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
    kernelScenarioCommand(parsed.name, parsed.dir, log);
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
