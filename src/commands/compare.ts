/**
 * `npm run compare -- BASE.csv NEW.csv [--fail-above PCT] [--alpha A] [--method M] [--noise PCT]`.
 * Exit status: 0 compared (and no gate failed), 1 a significant regression
 * beyond --fail-above, 2 bad input (one `faultscale: ...` line on stderr),
 * 70 an internal error (also one line; FAULTSCALE_DEBUG=1 adds the stack).
 */
import { runMain } from './main.js';
import { compareRows, DEFAULT_ALPHA, DEFAULT_METHOD, METHODS, regressionsAbove, type Method } from '../analysis/compare.js';
import { MIN_NOISE_PCT, NOISE_SDS } from '../analysis/noise.js';
import { loadResultSet } from '../rows/read.js';
import { formatCompare } from '../output/compare-table.js';
import { helpOption, optionHelp, parseCommandLine, parseOneName, valueOption } from '../harness/args/index.js';
import { Errors, quote, UsageError } from '../harness/errors.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(flag: string, value: string): number {
  const v = value.trim();
  if (!DECIMAL.test(v)) throw Errors.notNumber(flag, value);
  return Number(v);
}

const OPTIONS = {
  failAbove: valueOption<number | null>({
    name: '--fail-above',
    metavar: 'PCT',
    help: ['exit 1 when a reported regression exceeds PCT percent'],
    parse: (raw, flag) => {
      // "10%" reads as 10.
      const v = parseNumber(flag, raw.trim().replace(/%$/, ''));
      if (v < 0) throw Errors.negative(flag, raw);
      return v;
    },
    default: () => null,
  }),
  alpha: valueOption({
    name: '--alpha',
    metavar: 'A',
    help: [`significance level, between 0 and 1 (default ${DEFAULT_ALPHA})`],
    parse: (raw, flag) => {
      const v = parseNumber(flag, raw);
      if (!(v > 0 && v < 1)) throw new UsageError(`${flag}: ${quote(raw)} is not allowed; must be a number greater than 0 and less than 1`, flag);
      return v;
    },
    default: () => DEFAULT_ALPHA,
  }),
  method: valueOption({
    name: '--method',
    metavar: 'NAME',
    help: [
      `how significance is decided: welch (Welch's t-test, p < alpha), lkp (the runs'`,
      `[min, max] ranges do not overlap), both (both at once). Default: ${DEFAULT_METHOD}`,
    ],
    parse: (raw, flag): Method => parseOneName(flag, raw, METHODS),
    default: (): Method => DEFAULT_METHOD,
  }),
  noise: valueOption<number | undefined>({
    name: '--noise',
    metavar: 'PCT',
    help: [
      'changes up to PCT percent are noise, even when significant. Default: derived',
      `from the files: ${NOISE_SDS} × the median run-to-run CV over both files' rows, at least ${MIN_NOISE_PCT}%`,
    ],
    parse: (raw, flag) => {
      const v = parseNumber(flag, raw.trim().replace(/%$/, ''));
      if (v < 0) throw Errors.negative(flag, raw);
      return v;
    },
    default: () => undefined,
  }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: npm run compare -- BASE.csv NEW.csv [--fail-above PCT] [--alpha A] [--method welch|lkp|both] [--noise PCT]',
  'Compares two faultscale results CSVs row by row (same target, workload, journal, lock,',
  "strategy, profile and threads): change in mean faults/s, Welch's t-test and LKP's range",
  'test on the runs in the BASE.runs.csv / NEW.runs.csv sidecars (Welch from the CI columns',
  'when a sidecar is missing). A change counts only when significant by --method and larger',
  'than the noise threshold; a geometric-mean line sums up all matched rows.',
  ...optionHelp(OPTIONS, { kind: 'column', width: 18 }),
  'Exit status: 0 done, 1 regression beyond --fail-above, 2 bad input.',
].join('\n');

interface Parsed {
  readonly help: boolean;
  readonly base: string;
  readonly next: string;
  readonly failAbove: number | null;
  readonly alpha: number;
  readonly method: Method;
  readonly noise: number | undefined;
}

function parseCompareArgs(argv: readonly string[]): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help') return { help: true, base: '', next: '', failAbove: null, alpha: DEFAULT_ALPHA, method: DEFAULT_METHOD, noise: undefined };
  const files = parsed.positionals;
  if (files.length !== 2) {
    throw new UsageError(
      `compare: expected two files, BASE.csv and NEW.csv, but got ${files.length}` +
        (files.length > 2 ? ` (${files.map(quote).join(', ')})` : '') +
        '; run with --help for usage',
    );
  }
  if (files[0] === '') throw Errors.emptyPath('BASE.csv');
  if (files[1] === '') throw Errors.emptyPath('NEW.csv');
  return { help: false, base: files[0]!, next: files[1]!, ...parsed.values };
}

function run(argv: readonly string[]): number {
  const args = parseCompareArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const base = loadResultSet(args.base, 'base');
  const next = loadResultSet(args.next, 'new');
  const report = compareRows(base, next, { alpha: args.alpha, method: args.method, noisePct: args.noise });
  process.stdout.write(`${formatCompare(report, base, next)}\n`);
  if (args.failAbove === null) return 0;
  const bad = regressionsAbove(report, args.failAbove);
  if (bad.length === 0) {
    process.stdout.write(`--fail-above ${args.failAbove}: no reported regression (${args.method}) beyond ${args.failAbove}%\n`);
    return 0;
  }
  const worst = Math.min(...bad.map((c) => c.changePct));
  process.stdout.write(
    `--fail-above ${args.failAbove}: ${bad.length} significant regression${bad.length === 1 ? '' : 's'} (${args.method}) beyond ${args.failAbove}% ` +
      `(worst ${worst.toFixed(1)}%): failing\n`,
  );
  return 1;
}

// 1 already means "regression found", so an internal error exits 70 (EX_SOFTWARE).
await runMain(run, 70);
