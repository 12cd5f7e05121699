/**
 * `npm run compare -- BASE.csv NEW.csv [--fail-above PCT] [--alpha A]`.
 * Exit status: 0 compared (and no gate failed), 1 a significant regression
 * beyond --fail-above, 2 bad input (one `faultscale: ...` line on stderr),
 * 70 an internal error (also one line; FAULTSCALE_DEBUG=1 adds the stack).
 */
import { runMain } from './main.js';
import { compareRows, DEFAULT_ALPHA, loadResultSet, regressionsAbove } from '../analysis/compare.js';
import { formatCompare } from '../output/compare-table.js';
import { Errors, quote, UsageError } from '../harness/errors.js';

const OPTIONS = ['--fail-above', '--alpha', '--help'] as const;

const USAGE = `Usage: npm run compare -- BASE.csv NEW.csv [--fail-above PCT] [--alpha A]
Compares two faultscale results CSVs row by row (same target, workload, journal, lock,
strategy, profile and threads): change in mean faults/s and Welch's t-test on the runs
in the BASE.runs.csv / NEW.runs.csv sidecars (the CI columns when a sidecar is missing).
A change counts only when significant and larger than the noise threshold (twice the
median run-to-run coefficient of variation of both files, at least 1%).
  --fail-above PCT  exit 1 when a reported regression exceeds PCT percent
  --alpha A         significance level, between 0 and 1 (default ${DEFAULT_ALPHA})
  --help            this text
Exit status: 0 done, 1 regression beyond --fail-above, 2 bad input.`;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Parsed {
  readonly help: boolean;
  readonly base: string;
  readonly next: string;
  readonly failAbove: number | null;
  readonly alpha: number;
}

function parseNumber(flag: string, value: string): number {
  const v = value.trim();
  if (!DECIMAL.test(v)) throw Errors.notNumber(flag, value);
  return Number(v);
}

function parseCompareArgs(argv: readonly string[]): Parsed {
  const files: string[] = [];
  let failAbove: number | null = null;
  let alpha = DEFAULT_ALPHA;
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyFiles || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { help: true, base: '', next: '', failAbove: null, alpha };
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (flag !== '--fail-above' && flag !== '--alpha') throw Errors.unknownOption(arg, OPTIONS);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw Errors.missingValue(flag);
    if (flag === '--fail-above') {
      // "10%" reads as 10.
      const v = parseNumber(flag, value.trim().replace(/%$/, ''));
      if (v < 0) throw Errors.negative(flag, value);
      failAbove = v;
    } else {
      const v = parseNumber(flag, value);
      if (!(v > 0 && v < 1)) throw new UsageError(`${flag}: ${quote(value)} is not allowed; must be a number greater than 0 and less than 1`, flag);
      alpha = v;
    }
  }
  if (files.length !== 2) {
    throw new UsageError(
      `compare: expected two files, BASE.csv and NEW.csv, but got ${files.length}` +
        (files.length > 2 ? ` (${files.map(quote).join(', ')})` : '') +
        '; run with --help for usage',
    );
  }
  if (files[0] === '') throw Errors.emptyPath('BASE.csv');
  if (files[1] === '') throw Errors.emptyPath('NEW.csv');
  return { help: false, base: files[0]!, next: files[1]!, failAbove, alpha };
}

function run(argv: readonly string[]): number {
  const args = parseCompareArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const base = loadResultSet(args.base, 'base');
  const next = loadResultSet(args.next, 'new');
  const report = compareRows(base, next, { alpha: args.alpha });
  process.stdout.write(`${formatCompare(report, base, next)}\n`);
  if (args.failAbove === null) return 0;
  const bad = regressionsAbove(report, args.failAbove);
  if (bad.length === 0) {
    process.stdout.write(`--fail-above ${args.failAbove}: no significant regression beyond ${args.failAbove}%\n`);
    return 0;
  }
  const worst = Math.min(...bad.map((c) => c.changePct));
  process.stdout.write(
    `--fail-above ${args.failAbove}: ${bad.length} significant regression${bad.length === 1 ? '' : 's'} beyond ${args.failAbove}% ` +
      `(worst ${worst.toFixed(1)}%): failing\n`,
  );
  return 1;
}

// 1 already means "regression found", so an internal error exits 70 (EX_SOFTWARE).
await runMain(run, 70);
