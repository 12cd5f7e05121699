/**
 * The one reader and writer of results files: a row survives the round trip
 * (numbers as numbers, unmeasured as NaN, text with commas and quotes as is),
 * and what is not a results CSV is refused with one line naming the cell.
 */
import { describe, expect, it } from 'vitest';

import { cellNumber } from '../../src/rows/cell.js';
import { csvLine } from '../../src/rows/codec.js';
import { parseResultsCsv, parseRunsCsv, ResultsFileError } from '../../src/rows/read.js';
import { COLUMNS, okRows, type Row } from '../../src/rows/rows.js';
import { REQUIRED_COLUMNS } from '../../src/rows/read.js';
import { runRecord, runsByKey, rowKey } from '../../src/rows/runs.js';
import { resultsCsv, runsCsv } from '../../src/rows/write.js';
import { MODEL_KEY, makeRow } from '../helpers/rows.js';

const row = (over: Partial<Row> = {}): Row =>
  makeRow({ ...MODEL_KEY, workload: 'rewrite', threads: 2, runs: 3, faults_per_sec_mean: 12345.5, ...over });

const refused = (text: string): string => {
  try {
    parseResultsCsv(text, "'r.csv'");
  } catch (e) {
    expect(e).toBeInstanceOf(ResultsFileError);
    expect((e as Error).message).not.toMatch(/\n/);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('the cell rule', () => {
  it('reads a decimal as its number and an empty or non-numeric cell as NaN, never 0', () => {
    expect(cellNumber('12')).toBe(12);
    expect(cellNumber(' -0.5 ')).toBe(-0.5);
    expect(cellNumber('1e6')).toBe(1e6);
    expect(cellNumber(7)).toBe(7);
    for (const v of ['', '  ', 'abc', '0x10', 'Infinity', 'NaN', undefined, null])
      expect(cellNumber(v), String(v)).toBeNaN();
  });
});

describe('results CSV round trip', () => {
  it('keeps numbers, NaN as an empty cell, and text with commas, quotes and line breaks', () => {
    const rows = [row(), row({ threads: 4, mount_options: 'rw,"x"\nrelatime', faults_per_sec_ci95_low: 1.25 })];
    const text = resultsCsv(rows);
    expect(text.split('\r\n')[0]).toBe(COLUMNS.map((c) => c[0]).join(','));
    const back = parseResultsCsv(text, 'r');
    expect(back).toHaveLength(2);
    expect(back[1]!.mount_options).toBe('rw,"x"\nrelatime');
    expect(back[1]!.faults_per_sec_ci95_low).toBe(1.25);
    expect(back[0]!.faults_per_sec_ci95_low).toBeNaN();
    expect(back[0]!.threads).toBe(2);
    expect(back[0]!.status).toBe('ok');
  });

  it('reads a failed row with empty measurements, and okRows leaves it out', () => {
    const failed = row({ threads: 8, runs: 1, faults_per_sec_mean: NaN, status: 'failed', error: 'run failed: x, y' });
    const back = parseResultsCsv(resultsCsv([row(), failed]), 'r');
    expect(back[1]!.status).toBe('failed');
    expect(back[1]!.error).toBe('run failed: x, y');
    expect(back[1]!.faults_per_sec_mean).toBeNaN();
    expect(okRows(back).map((r) => r.threads)).toEqual([2]);
  });

  it('reads a file from before the status column as measured rows, missing optional columns as empty', () => {
    const cols = [...REQUIRED_COLUMNS];
    const r = row();
    const text = csvLine(cols) + csvLine(cols.map((c) => r[c]));
    const back = parseResultsCsv(text, 'old');
    expect(back[0]!.status).toBe('ok');
    expect(back[0]!.stores_per_sec).toBeNaN();
    expect(back[0]!.kernel_version).toBe('');
  });
});

describe('what the reader refuses', () => {
  const header = csvLine(COLUMNS.map((c) => c[0]));
  const line = (r: Row): string => csvLine(COLUMNS.map((c) => r[c[0]]));
  it.each([
    ['an empty file', '', /^'r\.csv': empty file/],
    [
      'a foreign header',
      'a,b\r\n1,2\r\n',
      /not a faultscale results CSV: header lacks target, workload, journal and \d+ more/,
    ],
    [
      'text in a numeric cell',
      header + line(row()).replace('12345.5', '12k'),
      /line 2: faults_per_sec_mean '12k' is not a number/,
    ],
    [
      'a measured row without its mean',
      header + line(row({ faults_per_sec_mean: NaN })),
      /line 2: faults_per_sec_mean '' is not a number of at least 0/,
    ],
    [
      'a measured row without runs',
      header + line(row({ runs: NaN })),
      /line 2: runs '' is not an integer of at least 1/,
    ],
    [
      'an unknown status',
      header + line({ ...row(), status: 'maybe' as Row['status'] }),
      /line 2: status 'maybe' is not one of ok, failed, interrupted/,
    ],
    ['a short record', header + 'model,x\r\n', /line 2: 2 fields, but the header has \d+/],
    ['a repeated key', header + line(row()) + line(row()), /line 3: same key as line 2/],
    ['an unclosed quote', header + '"model,x\r\n', /not a well-formed CSV/],
  ])('%s', (_, text, message) => {
    expect(refused(text)).toMatch(message);
  });
});

describe('the runs sidecar', () => {
  it('round-trips run records and groups them by row key', () => {
    const r = row();
    const text = runsCsv([runRecord(r, 1, 10), runRecord(r, 2, 12), runRecord(row({ threads: 4 }), 1, 30)]);
    const recs = parseRunsCsv(text, 'side');
    expect(recs.map((x) => x.faults_per_sec)).toEqual([10, 12, 30]);
    expect(runsByKey(recs).get(rowKey(r))).toEqual([10, 12]);
  });
  it('refuses a run given twice', () => {
    const r = row();
    expect(() => parseRunsCsv(runsCsv([runRecord(r, 1, 10), runRecord(r, 1, 11)]), 'side')).toThrow(
      /line 3: run 1 of .* appears twice/,
    );
  });
});
