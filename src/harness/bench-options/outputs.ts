/**
 * The outputs group: the files a sweep writes (CSV, JSON, Markdown, HTML
 * report, a saved baseline) and whether existing ones may be replaced. Every
 * path is checked once the options are parsed, before anything is measured.
 */
import fs from 'node:fs';
import nodePath from 'node:path';

import { Errors } from '../errors.js';
import {
  alsoWriteOption,
  checkCreatable,
  checkWritable,
  flagOption,
  optionGroup,
  checkedPath,
  timestampedPath,
  valueOption,
  type OptionValues,
} from '../args/index.js';
import { sidecarPath } from '../../rows/runs.js';
import { BASELINE_DIR, baselinePath, parseBaselineName } from '../baselines.js';
import { shardedCsvPath, type Shard } from '../shard.js';
import { DEFAULTS, type BenchEnv } from './defaults.js';

/** A file the sweep writes besides the CSV: a writable path, relative to the current directory. */
function outputFile(env: BenchEnv) {
  return checkedPath(env.cwd, checkWritable);
}

export function outputOptions(env: BenchEnv) {
  const file = outputFile(env);
  return optionGroup('Output', {
    csvPath: valueOption({
      name: '--csv',
      metavar: 'PATH',
      help: [
        `CSV results file, relative to the current directory. Default: ${DEFAULTS.csvDir}/faultscale-<UTC timestamp>.csv.`,
      ],
      parse: file,
      default: () => {
        const csv = timestampedPath(env.cwd, DEFAULTS.csvDir, 'faultscale', 'csv', env.now);
        // The sweep creates the default results/ dir (mkdir -p): its nearest existing ancestor must take it.
        checkCreatable('--csv', csv);
        return csv;
      },
    }),
    jsonPath: alsoWriteOption('--json', env.cwd, 'Also write a JSON summary to PATH. Default: none.'),
    markdownPath: alsoWriteOption(
      '--markdown',
      env.cwd,
      'Also write a Markdown summary (context, one table row per configuration, failures) to PATH. Default: none.',
    ),
    report: flagOption({
      name: '--report',
      help: ['Also write an HTML report next to the CSV (same name, .html).'],
    }),
    baselinePath: valueOption<string | null>({
      name: '--save-baseline',
      metavar: 'NAME',
      help: [
        `Also save the results as the baseline NAME (${BASELINE_DIR}/NAME.csv and its .runs.csv, replacing an`,
        'older one of that name), for compare --baseline NAME. Not saved when the sweep is interrupted. Default: none.',
      ],
      parse: (raw, flag) => {
        const path = baselinePath(env.cwd, parseBaselineName(flag, raw));
        checkCreatable(flag, path);
        return path;
      },
      default: () => null,
    }),
    force: flagOption({
      name: '--force',
      help: ['Overwrite result files that already exist (refused otherwise).'],
    }),
  });
}

type OutputValues = OptionValues<ReturnType<typeof outputOptions>['options']>;

/** The files a sweep writes: the CSV's path as resolved (a shard's own name), and the report's beside it. */
export type OutputOptions = OutputValues & {
  /** HTML report path (next to the CSV), or null. */
  readonly reportPath: string | null;
};

/**
 * The parsed group with the CSV named for its shard (shards of one sweep share a
 * directory, a cluster's results folder) when it was not given, and every file
 * the sweep writes checked now rather than after the first configuration ran.
 */
export function resolveOutputs(
  v: OutputValues,
  shard: { sweepId: string; shard: Shard | null },
  given: ReadonlySet<string>,
  raw: ReadonlyMap<string, string>,
): OutputOptions {
  const csvPath =
    shard.shard && !given.has('csvPath') ? shardedCsvPath(v.csvPath, shard.sweepId, shard.shard) : v.csvPath;
  const reportPath = v.report ? csvPath.replace(/\.csv$/i, '') + '.html' : null;
  const inCsvDir = fs.existsSync(nodePath.dirname(csvPath)) ? checkWritable : checkCreatable;
  inCsvDir('--csv', sidecarPath(csvPath));
  if (reportPath !== null) inCsvDir('--report', reportPath);
  if (v.jsonPath !== null && v.jsonPath === csvPath)
    throw Errors.samePath('--json', raw.get('jsonPath') ?? v.jsonPath, 'CSV');
  if (v.markdownPath !== null && (v.markdownPath === csvPath || v.markdownPath === v.jsonPath)) {
    const other = v.markdownPath === csvPath ? 'CSV' : 'JSON';
    throw Errors.samePath('--markdown', raw.get('markdownPath') ?? v.markdownPath, other);
  }
  // Results are never overwritten by accident.
  const files: [string, string | null][] = [
    ['--csv', csvPath],
    ['--json', v.jsonPath],
    ['--markdown', v.markdownPath],
    ['--report', reportPath],
  ];
  for (const [flag, path] of files) {
    if (path !== null && !v.force && fs.existsSync(path)) throw Errors.exists(flag, path);
  }
  return { ...v, csvPath, reportPath };
}
