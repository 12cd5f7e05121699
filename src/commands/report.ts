/**
 * `npm run report -- results/<run>.csv [--out PATH] [--title TEXT]`: writes a
 * self-contained HTML report next to the CSV (or at --out) and prints its path.
 * Bad input: one `faultscale: ...` line on stderr, exit code 2.
 */
import { runMain } from './main.js';
import fs from 'node:fs/promises';
import path from 'node:path';

import {
  checkWritable,
  helpOption,
  optionHelp,
  outFileOption,
  parseCommandLine,
  textOption,
} from '../harness/args/index.js';
import { Errors, UsageError, quote } from '../harness/errors.js';
import { measuredRows, parseResultsCsv, readRunsFile } from '../rows/read.js';
import { runsByKey } from '../rows/runs.js';

const OPTIONS = {
  out: outFileOption('--html', "where to write the report (default: the CSV's path with .html)", (raw, flag) => {
    if (raw === '') throw Errors.emptyPath(flag);
    return raw;
  }),
  title: textOption({ name: '--title', metavar: 'TEXT', help: ['page title (default: faultscale report)'] }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: faultscale report <results.csv> [--html PATH] [--title TEXT]   (or npm run report -- ...)',
  'Renders a results CSV as one self-contained HTML file (inline SVG charts, no scripts) and prints its path.',
  '  <results.csv>   a CSV written by `npm run bench`',
  ...optionHelp(OPTIONS, { kind: 'column', width: 16 }),
  'Exit status: 0 written, 2 bad input (a file that is missing or not a results CSV, an unwritable path).',
].join('\n');

interface Parsed {
  readonly help: boolean;
  readonly csv: string;
  readonly out: string;
  /** Whether --html was given (else the default path is used). */
  readonly outGiven: boolean;
  /** How --html was spelled (`--out` is its older name), for messages. */
  readonly outFlag: string;
  readonly title: string | undefined;
}

function parse(argv: readonly string[]): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help')
    return { help: true, csv: '', out: '', outGiven: false, outFlag: '--html', title: undefined };
  const { out, title } = parsed.values;
  const [csv, extra] = parsed.positionals;
  if (extra !== undefined) {
    throw new UsageError(`report: only one results CSV may be given, got ${quote(csv!)} and ${quote(extra)}`);
  }
  if (csv === '') throw new UsageError("report: '' is not allowed; give the path of a results CSV");
  if (csv === undefined)
    throw new UsageError('report: no results CSV given; write faultscale report results/<run>.csv [--html PATH]');
  const defaultOut = /\.csv$/i.test(csv) ? csv.replace(/\.csv$/i, '.html') : `${csv}.html`;
  return {
    help: false,
    csv,
    out: out ?? defaultOut,
    outGiven: out !== null,
    outFlag: parsed.spelled.get('out') ?? '--html',
    title,
  };
}

/** A short reason for a failed file operation, from its errno code. */
function reason(e: unknown, writing: boolean): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return writing ? 'its directory does not exist' : 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (path.resolve(args.out) === path.resolve(args.csv)) {
    throw new UsageError(
      `${args.outFlag}: ${quote(args.out)} is the input CSV; give the report another path`,
      args.outFlag,
    );
  }
  // The output is checked before the CSV is read and rendered.
  checkWritable(args.outGiven ? args.outFlag : 'report', args.out);
  let text: string;
  try {
    const st = await fs.stat(args.csv);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    text = await fs.readFile(args.csv, 'utf8');
  } catch (e) {
    throw new UsageError(`report: cannot read ${quote(args.csv)}: ${reason(e, false)}`);
  }
  const what = quote(args.csv);
  // Every row goes to the report, which lists the failed and interrupted ones; it needs one measured row to draw.
  const rows = parseResultsCsv(text, what);
  measuredRows(rows, what);
  const records = readRunsFile(args.csv, `results ${what}`);
  // The renderer (vega) is loaded only to render, so --help and bad input stay fast.
  const { csvHref, renderReport } = await import('../output/report/index.js');
  const html = await renderReport(rows, {
    source: args.csv,
    csvHref: csvHref(args.out, args.csv),
    ...(records === null ? {} : { runs: runsByKey(records) }),
    ...(args.title === undefined ? {} : { title: args.title }),
  });
  try {
    await fs.writeFile(args.out, html);
  } catch (e) {
    let why = reason(e, true);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (await isDirectory(path.dirname(args.out)))) {
      why = 'cannot create a file there';
    }
    throw Errors.unwritable(args.outGiven ? args.outFlag : 'report', args.out, why);
  }
  process.stdout.write(`${args.out}\n`);
  return 0;
}

await runMain(run);
