/**
 * `faultscale compare BASE.csv NEW.csv` or `faultscale compare --baseline NAME NEW.csv`,
 * with [--format text|markdown|json] [--fail-above PCT] [--alpha A] [--method M] [--noise PCT].
 * Exit status: 0 compared (and no gate failed), 1 a significant regression
 * beyond --fail-above, 2 bad input (one `faultscale: ...` line on stderr),
 * 70 an internal error (also one line; FAULTSCALE_DEBUG=1 adds the stack).
 */
import { runMain } from './main.js';
import {
  compareRows,
  DEFAULT_ALPHA,
  DEFAULT_METHOD,
  METHODS,
  regressionsAbove,
  targetMismatch,
  type Method,
} from '../analysis/compare.js';
import { MIN_NOISE_PCT, NOISE_SDS } from '../analysis/noise.js';
import { isDecimal } from '../rows/cell.js';
import { loadResultSet, measuredRows, type ResultSet } from '../rows/read.js';
import { COMPARE_FORMATS, COMPARE_FORMAT_NAMES, type CompareFormat } from '../output/compare/index.js';
import {
  helpOption,
  oneOfOption,
  optionHelp,
  parseCommandLine,
  parsePath,
  valueOption,
} from '../harness/args/index.js';
import { BASELINE_DIR, existingBaseline, parseBaselineName } from '../harness/baselines.js';
import { Errors, quote, UsageError } from '../harness/errors.js';

// Here a number may carry an exponent (`--alpha 1e-3`), as a results cell may.
function parseNumber(flag: string, value: string): number {
  if (!isDecimal(value)) throw Errors.notNumber(flag, value);
  return Number(value.trim());
}

const OPTIONS = {
  baseline: valueOption<string | null>({
    name: '--baseline',
    metavar: 'NAME',
    help: [`compare NEW.csv against the baseline NAME (${BASELINE_DIR}/NAME.csv, saved by bench --save-baseline NAME)`],
    parse: (raw, flag) => parseBaselineName(flag, raw),
    default: () => null,
  }),
  format: oneOfOption<CompareFormat>(COMPARE_FORMAT_NAMES, 'text', {
    name: '--format',
    metavar: 'F',
    help: [`what is printed: ${COMPARE_FORMAT_NAMES.join(', ')}. Default: text`],
  }),
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
      if (!(v > 0 && v < 1))
        throw new UsageError(
          `${flag}: ${quote(raw)} is not allowed; must be a number greater than 0 and less than 1`,
          flag,
        );
      return v;
    },
    default: () => DEFAULT_ALPHA,
  }),
  method: oneOfOption<Method>(METHODS, DEFAULT_METHOD, {
    name: '--method',
    metavar: 'NAME',
    help: [
      `how significance is decided: welch (Welch's t-test, p < alpha), lkp (the runs'`,
      `[min, max] ranges do not overlap), both (both at once). Default: ${DEFAULT_METHOD}`,
    ],
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
  help: helpOption(['this text'], { label: '--help, -h' }),
};

const USAGE = [
  'Usage: faultscale compare BASE.csv NEW.csv [options]',
  '       faultscale compare --baseline NAME NEW.csv [options]',
  '       (npm run compare -- ... is the same command)',
  'Compares two faultscale results CSVs row by row, pairing rows that match on every',
  'identifying column (target, mode, workload, journal, lock, strategy, preset, profile,',
  'client, time granularity, msync interval, hardware, topology, HZ, threads, ...): change',
  "in mean faults/s, Welch's t-test and LKP's range test on the runs in the BASE.runs.csv /",
  'NEW.runs.csv sidecars (Welch from the CI columns when a sidecar is missing). A change counts',
  'only when significant by --method and larger than the noise threshold; a geometric-mean',
  "line sums up all matched rows. One line says when the files' machine or build differ.",
  'Relative paths are taken from the directory the command was typed in.',
  ...optionHelp(OPTIONS, { kind: 'column', width: 18 }),
  'Exit status: 0 compared, 1 a regression beyond --fail-above, 2 bad input (a file that is',
  'missing, truncated, without rows or of another target; an unknown baseline; a bad option).',
].join('\n');

/** A file to read: where it is, how messages name it, and how the comparison labels it. */
interface File {
  readonly path: string;
  readonly role: string;
  readonly label: string;
}

type Parsed =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly base: File;
      readonly next: File;
      readonly format: CompareFormat;
      readonly failAbove: number | null;
      readonly alpha: number;
      readonly method: Method;
      readonly noise: number | undefined;
    };

function parseCompareArgs(argv: readonly string[], cwd: string): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help') return { help: true };
  const files = parsed.positionals;
  const { baseline, ...rest } = parsed.values;
  const want = baseline === null ? 2 : 1;
  if (files.length !== want) {
    throw new UsageError(
      (baseline === null
        ? `compare: expected two files, BASE.csv and NEW.csv, but got ${files.length}`
        : `compare: with --baseline, expected one file, NEW.csv, but got ${files.length}`) +
        (files.length > want ? ` (${files.map(quote).join(', ')})` : '') +
        '; run with --help for usage',
    );
  }
  if (files.some((f) => f === '')) throw Errors.emptyPath(files[0] === '' && want === 2 ? 'BASE.csv' : 'NEW.csv');
  const base =
    baseline === null
      ? { path: parsePath('BASE.csv', files[0]!, cwd), role: 'base', label: files[0]! }
      : {
          path: existingBaseline('--baseline', cwd, baseline),
          role: `baseline ${quote(baseline)}, base`,
          label: `baseline ${baseline}`,
        };
  const newFile = files[want - 1]!;
  return {
    help: false,
    base,
    next: { path: parsePath('NEW.csv', newFile, cwd), role: 'new', label: newFile },
    ...rest,
  };
}

/** A file compare can use: read, with at least one measured row. */
function load(f: File): ResultSet {
  const set = loadResultSet(f.path, f.role, f.label);
  measuredRows(set.rows, `${f.role} file ${quote(f.path)}`);
  return set;
}

function run(argv: readonly string[]): number {
  const args = parseCompareArgs(argv, process.cwd());
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const base = load(args.base);
  const next = load(args.next);
  const mismatch = targetMismatch(base, next);
  if (mismatch !== null) throw new UsageError(mismatch);
  const report = compareRows(base, next, { alpha: args.alpha, method: args.method, noisePct: args.noise });
  process.stdout.write(`${COMPARE_FORMATS[args.format](report, base, next)}\n`);
  if (args.failAbove === null) return 0;
  // JSON on stdout stays one document: the gate's verdict goes beside it.
  const say = (line: string): void => void (args.format === 'json' ? process.stderr : process.stdout).write(line);
  const bad = regressionsAbove(report, args.failAbove);
  if (bad.length === 0) {
    say(`--fail-above ${args.failAbove}: no reported regression (${args.method}) beyond ${args.failAbove}%\n`);
    return 0;
  }
  const worst = Math.min(...bad.map((c) => c.changePct));
  say(
    `--fail-above ${args.failAbove}: ${bad.length} significant regression${bad.length === 1 ? '' : 's'} (${args.method}) beyond ${args.failAbove}% ` +
      `(worst ${worst.toFixed(1)}%): failing\n`,
  );
  return 1;
}

// 1 already means "regression found", so an internal error exits 70 (EX_SOFTWARE).
await runMain(run, 70);
