/** `npm run scenario -- <name> [--strategy LIST] [--target model|kernel] [--dir PATH]` and `--list`. Bad input: one line, exit code 2. */
import { runMain } from './main.js';
import { Errors, UsageError } from '../harness/errors.js';
import { kernelScenarioCommand } from '../harness/kernel-scenario.js';
import { SCENARIOS, SCENARIO_NAMES, runScenario, verdictTable, type ScenarioName } from '../model/scenarios.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';

const USAGE = `Usage: npm run scenario -- <name> [--strategy LIST] [--target model|kernel] [--dir PATH]   (or --list)
Runs a deterministic scenario under each strategy, printing every step, then a verdict table.
  <name>            ${SCENARIO_NAMES.join(', ')}
  --strategy LIST   strategies to run (default all): ${STRATEGY_NAMES.join(', ')}
  --target T        model (default) or kernel: this machine's kernel, on a real file
  --dir PATH        where --target kernel creates its file (default: the OS temp directory)
  --list            list the scenarios
  --help            this text`;

/** The model steps any scenario; the live kernel those it can show. */
const SCENARIO_TARGETS = ['model', 'kernel'] as const;
type ScenarioTarget = (typeof SCENARIO_TARGETS)[number];

type Parsed =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'run'; name: ScenarioName; strategies: StrategyName[]; target: ScenarioTarget; dir: string | undefined };

function parse(argv: readonly string[]): Parsed {
  let name: ScenarioName | null = null;
  let strategies: StrategyName[] = [...STRATEGY_NAMES];
  let target: ScenarioTarget = 'model';
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--list') return { kind: 'list' };
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--strategy' || arg.startsWith('--strategy=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined) throw Errors.missingValue('--strategy');
      const list = value.split(',').map((s) => s.trim());
      if (list.length === 1 && list[0] === 'all') continue;
      for (const s of list) {
        if (!(STRATEGY_NAMES as readonly string[]).includes(s)) throw Errors.unknownName('--strategy', s, [...STRATEGY_NAMES, 'all']);
      }
      strategies = STRATEGY_NAMES.filter((s) => list.includes(s));
      continue;
    }
    if (arg === '--target' || arg.startsWith('--target=') || arg === '--dir' || arg.startsWith('--dir=')) {
      const flag = arg.startsWith('--target') ? '--target' : '--dir';
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined) throw Errors.missingValue(flag);
      if (flag === '--dir') dir = value;
      else if ((SCENARIO_TARGETS as readonly string[]).includes(value)) target = value as ScenarioTarget;
      else throw Errors.unknownName('--target', value, SCENARIO_TARGETS);
      continue;
    }
    if (arg.startsWith('-')) throw Errors.unknownOption(arg);
    if (name !== null) throw new UsageError(`scenario: only one name may be given, got '${name}' and '${arg}'`);
    if (!(SCENARIO_NAMES as readonly string[]).includes(arg)) throw Errors.unknownName('scenario', arg, SCENARIO_NAMES);
    name = arg as ScenarioName;
  }
  if (name === null) throw new UsageError(`scenario: no name given; one of ${SCENARIO_NAMES.join(', ')} (or --list)`);
  if (dir !== undefined && target !== 'kernel') throw new UsageError(`--dir: only --target kernel creates files; drop --dir or add --target kernel`, '--dir');
  return { kind: 'run', name, strategies, target, dir };
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
  log(`${parsed.name}: ${SCENARIOS[parsed.name].about}`);
  const verdicts = runScenario(parsed.name, parsed.strategies, log);
  log('');
  log(verdictTable(parsed.name, verdicts));
  return 0;
}

await runMain(main);
