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
import { keyText, runRecord, runsByKey, rowKey, sidecarPath } from '../../src/rows/runs.js';
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

describe('what the sidecar refuses', () => {
  const r = row();
  const good = runsCsv([runRecord(r, 1, 10)]);
  const [head, line] = good.split('\r\n') as [string, string];
  const cols = head.split(',');
  /** The sidecar with one cell of its only record replaced. */
  const withCell = (col: string, value: string): string => {
    const cells = line.split(',');
    cells[cols.indexOf(col)] = value;
    return `${head}\r\n${cells.join(',')}\r\n`;
  };
  const refusedRuns = (text: string): string => {
    try {
      parseRunsCsv(text, "'r.runs.csv'");
    } catch (e) {
      expect(e).toBeInstanceOf(ResultsFileError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };
  it.each([
    ['threads', '0', /line 2: threads '0' is not an integer of at least 1/],
    ['threads', '1.5', /line 2: threads '1.5' is not an integer of at least 1/],
    ['run', '0', /line 2: run '0' is not an integer of at least 1/],
    ['faults_per_sec', '-1', /line 2: faults_per_sec '-1' is not a number of at least 0/],
    ['hz', 'four', /line 2: hz 'four' is not a number$/],
  ])('%s %s', (col, value, message) => {
    expect(refusedRuns(withCell(col, value))).toMatch(message);
  });
  it('takes a blank optional key cell as empty, and a sidecar without a line after its header as no runs', () => {
    expect(parseRunsCsv(withCell('hz', '  '), 'side')[0]!.faults_per_sec).toBe(10);
    expect(parseRunsCsv(`${head}\r\n`, 'side')).toEqual([]);
  });
  it('names how many required columns are missing beyond the first three', () => {
    const five = good.replace(/^[^\r]*/, (h) =>
      h
        .replace('target,', 'a,')
        .replace('workload,', 'b,')
        .replace('journal,', 'c,')
        .replace('lock,', 'd,')
        .replace('strategy,', 'e,'),
    );
    expect(refusedRuns(five)).toMatch(/header lacks target, workload, journal and 2 more/);
  });
});

describe('a results CSV cut short', () => {
  it('refuses complete records whose last line lost its line ending', () => {
    expect(refused(resultsCsv([row(), row({ threads: 4 })]).slice(0, -2))).toBe(
      "'r.csv': truncated: its last line has no line ending",
    );
  });
});

describe('row keys', () => {
  it('are canonical: a number column as its number whether parsed or text, blank or non-numeric as empty', () => {
    expect(rowKey({ ...MODEL_KEY, threads: '4.0' })).toBe(rowKey({ ...MODEL_KEY, threads: 4 }));
    for (const blank of ['', '  ', 'abc', undefined])
      expect(rowKey({ ...MODEL_KEY, threads: blank }), String(blank)).toBe(rowKey({ ...MODEL_KEY }));
    expect(rowKey({ ...MODEL_KEY, threads: '  ' })).not.toBe(rowKey({ ...MODEL_KEY, threads: 0 }));
    expect(rowKey({ ...MODEL_KEY, strategy: ' eager' })).not.toBe(rowKey({ ...MODEL_KEY }));
  });
  it('read for people as column=value, an unmeasured number as empty', () => {
    expect(keyText({ strategy: 'eager', threads: NaN, hz: 250 }, ['strategy', 'threads', 'hz'])).toBe(
      'strategy=eager threads= hz=250',
    );
  });
  it('name the sidecar beside the CSV, replacing only a final .csv', () => {
    expect(sidecarPath('out.csv/r.CSV')).toBe('out.csv/r.runs.csv');
    expect(sidecarPath('r')).toBe('r.runs.csv');
  });
});
