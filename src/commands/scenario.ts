/** `npm run scenario -- <name> [--strategy LIST]` and `--list`. Bad input: one line, exit code 2. */
import { runMain } from './main.js';
import { Errors, UsageError } from '../harness/errors.js';
import { SCENARIOS, SCENARIO_NAMES, runScenario, verdictTable, type ScenarioName } from '../model/scenarios.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';

const USAGE = `Usage: npm run scenario -- <name> [--strategy LIST]   (or --list)
Runs a deterministic scenario under each strategy, printing every step, then a verdict table.
  <name>            ${SCENARIO_NAMES.join(', ')}
  --strategy LIST   strategies to run (default all): ${STRATEGY_NAMES.join(', ')}
  --list            list the scenarios
  --help            this text`;

type Parsed = { kind: 'list' } | { kind: 'help' } | { kind: 'run'; name: ScenarioName; strategies: StrategyName[] };

function parse(argv: readonly string[]): Parsed {
  let name: ScenarioName | null = null;
  let strategies: StrategyName[] = [...STRATEGY_NAMES];
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
    if (arg.startsWith('-')) throw Errors.unknownOption(arg);
    if (name !== null) throw new UsageError(`scenario: only one name may be given, got '${name}' and '${arg}'`);
    if (!(SCENARIO_NAMES as readonly string[]).includes(arg)) throw Errors.unknownName('scenario', arg, SCENARIO_NAMES);
    name = arg as ScenarioName;
  }
  if (name === null) throw new UsageError(`scenario: no name given; one of ${SCENARIO_NAMES.join(', ')} (or --list)`);
  return { kind: 'run', name, strategies };
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
  log(`${parsed.name}: ${SCENARIOS[parsed.name].about}`);
  const verdicts = runScenario(parsed.name, parsed.strategies, log);
  log('');
  log(verdictTable(parsed.name, verdicts));
  return 0;
}

await runMain(main);
