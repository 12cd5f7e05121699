/**
 * `faultscale merge SHARD.csv|DIR [...] --csv ALL.csv [--force]`: one results
 * CSV (and sidecar) from the whole set of one sweep's shards (`--shard K/N`),
 * named one by one or as the directory they were written to. Exit status: 0
 * merged, 2 bad input or shards that do not make one whole sweep (one line).
 */
import fs from 'node:fs';
import nodePath from 'node:path';

import { runMain } from './main.js';
import { sidecarPath } from '../rows/runs.js';
import {
  checkWritable,
  flagOption,
  helpOption,
  optionHelp,
  outFileOption,
  parseCommandLine,
  checkedPath,
} from '../harness/args/index.js';
import { Errors, quote, UsageError } from '../harness/errors.js';
import { mergeShards } from '../harness/merge.js';
import { writeFileAtomic } from '../rows/write-atomic.js';

const OPTIONS = {
  out: outFileOption(
    '--csv',
    'the merged CSV (its .runs.csv sidecar goes beside it); required',
    checkedPath(process.cwd(), checkWritable),
  ),
  force: flagOption({ name: '--force', help: ['overwrite the merged CSV and sidecar if they exist'] }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: faultscale merge SHARD.csv|DIR [...] --csv ALL.csv [--force]   (or npm run merge -- ...)',
  'Merges the CSVs of one sweep run in shards (npm run bench -- --shard K/N|auto); a DIR stands',
  'for the .csv files in it (not the .runs.csv sidecars). Checks they are every shard of one',
  'sweep (one sweep_id; shards 1/N to N/N, each once and each whole; same columns, target,',
  'profile, harness version, window, warm-up, pages, time scale, tick, observer interval, and',
  "cores unless the target is virtual; no configuration twice), puts the rows in the sweep's",
  'order, recomputes speedup and efficiency, and merges the .runs.csv sidecars when all have one.',
  ...optionHelp(OPTIONS, { kind: 'column', width: 12 }),
  'Exit status: 0 merged, 2 bad input or shards that do not make one whole sweep.',
].join('\n');

function read(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : e instanceof Error
            ? e.message
            : String(e);
    throw new UsageError(`${what} ${quote(path)}: cannot read: ${why}`);
  }
}

/** The shard files an argument names: a file as it is, a directory as its results CSVs (sidecars and `out` left out). */
function shardFiles(arg: string, out: string): string[] {
  let dir: boolean;
  try {
    dir = fs.statSync(arg).isDirectory();
  } catch {
    return [arg];
  }
  if (!dir) return [arg];
  const files = fs
    .readdirSync(arg)
    .filter((f) => /\.csv$/i.test(f) && !/\.runs\.csv$/i.test(f))
    .map((f) => nodePath.join(arg, f))
    .filter((f) => nodePath.resolve(f) !== out)
    .sort();
  if (files.length === 0) throw new UsageError(`shard directory ${quote(arg)}: has no .csv files`);
  return files;
}

function run(argv: readonly string[]): number {
  const parsed = parseCommandLine(OPTIONS, argv, 'allowed');
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { values, positionals } = parsed;
  if (values.out === null) throw new UsageError("--csv: missing; give the merged CSV's path (--csv ALL.csv)", '--csv');
  const out = values.out;
  const flag = parsed.spelled.get('out') ?? '--csv';
  for (const p of [out, sidecarPath(out)]) if (!values.force && fs.existsSync(p)) throw Errors.exists(flag, p);
  if (positionals.some((p) => p === out || nodePath.resolve(p) === out)) throw Errors.samePath(flag, out, 'input');
  const shards = positionals
    .flatMap((p) => shardFiles(p, out))
    .map((p) => {
      const side = sidecarPath(p);
      return { label: p, csv: read(p, 'shard'), runs: fs.existsSync(side) ? read(side, 'shard sidecar') : null };
    });
  const merged = mergeShards(shards);
  writeFileAtomic(out, merged.csv);
  if (merged.runs !== null) writeFileAtomic(sidecarPath(out), merged.runs);
  process.stdout.write(
    `${merged.rows} rows from ${shards.length} shard${shards.length > 1 ? 's' : ''} written to ${out}` +
      (merged.runs !== null
        ? ` (per-run samples in ${sidecarPath(out)})\n`
        : '; not every shard had a .runs.csv sidecar, so none was written\n'),
  );
  return 0;
}

await runMain(run);
