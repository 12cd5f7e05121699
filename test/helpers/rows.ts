/** Result rows and result sets for tests: every column present (text empty, numbers not measured), then the fields a test sets. */
import fs from 'node:fs';

import type { RecordLike } from '../../src/analysis/usl.js';
import type { ResultSet } from '../../src/rows/read.js';
import { parseCsv } from '../../src/rows/codec.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { rowKey } from '../../src/rows/runs.js';

const BLANK = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? '' : Number.NaN])) as Row),
  status: 'ok',
} as Row;

export const makeRow = (fields: Partial<Row>): Row => ({ ...BLANK, ...fields }) as Row;

/** The key columns of one model configuration (ext4's journal, eager), for rows that differ only in threads or strategy. */
export const MODEL_KEY = {
  target: 'model',
  workload: 'separate-file',
  journal: 'jbd2',
  mount_options: '',
  lock: 'rw',
  strategy: 'eager',
  profile: 'default@1',
};

/** The same on the virtual target's 2011 server (westmere-ex-8s, 8 sockets × 10 cores × 2 threads). */
export const VIRTUAL_KEY = {
  ...MODEL_KEY,
  target: 'virtual',
  profile: 'default@2',
  hardware: 'westmere-ex-8s',
  topology: '8x10x2',
};

/**
 * A result set of MODEL_KEY rows, one per thread count, each with its runs'
 * count and mean and its runs in the sidecar map. The rows are partial:
 * compare reads only the key columns, threads, runs and the mean.
 */
export function runsResultSet(label: string, runsByThreads: Iterable<readonly [number, readonly number[]]>): ResultSet {
  const rows: RecordLike[] = [];
  const runs = new Map<string, number[]>();
  for (const [threads, xs] of runsByThreads) {
    const row = {
      ...MODEL_KEY,
      threads,
      runs: xs.length,
      faults_per_sec_mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    };
    rows.push(row);
    runs.set(rowKey(row), [...xs]);
  }
  return { label, rows: rows as unknown as ResultSet['rows'], runs };
}

/**
 * A measured MODEL_KEY row of 3 runs at `mean` faults/s on `threads`, its 95%
 * CI ± `ci` of the mean, its speedup and efficiency against 1e6 faults/s at one
 * thread; `fields` sets the rest (the report's tests draw sweeps of these).
 */
export const scalingRow = (threads: number, mean: number, ci: number, fields: Partial<Row>): Row =>
  makeRow({
    ...MODEL_KEY,
    profile: 'default@2',
    threads,
    runs: 3,
    faults_per_sec_mean: mean,
    faults_per_sec_ci95_low: mean * (1 - ci),
    faults_per_sec_ci95_high: mean * (1 + ci),
    speedup: mean / 1e6,
    efficiency: mean / 1e6 / threads,
    stores_per_sec: mean,
    ...fields,
  });

/** A CSV file's records as objects keyed by its header, a missing cell as ''. */
export function readCsvObjects(file: string): Record<string, string>[] {
  const [header = [], ...records] = parseCsv(fs.readFileSync(file, 'utf8'));
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
