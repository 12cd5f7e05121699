/**
 * Results files on disk: reading a results CSV and its sidecar (what a
 * missing, unreadable or partial sidecar means), writing them atomically, and
 * the one-line messages that name the file and the cell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { quote } from '../../src/rows/quote.js';
import {
  loadResultSet,
  measuredRows,
  parseResultsCsv,
  readResultsFile,
  readRunsFile,
  ResultsFileError,
} from '../../src/rows/read.js';
import type { Row } from '../../src/rows/rows.js';
import { rowKey, runRecord } from '../../src/rows/runs.js';
import { resultsCsv, runsCsv, writeResultFiles } from '../../src/rows/write.js';
import { writeFileAtomic } from '../../src/rows/write-atomic.js';
import { scratchDir } from '../helpers/cli.js';
import { MODEL_KEY, makeRow } from '../helpers/rows.js';

const root = scratchDir('rows');
let n = 0;
const fresh = (): string => fs.mkdtempSync(path.join(root, `d${++n}-`));

const row = (over: Partial<Row> = {}): Row =>
  makeRow({ ...MODEL_KEY, workload: 'rewrite', threads: 1, runs: 2, faults_per_sec_mean: 100, ...over });

/** The message a call refuses with: a ResultsFileError of one line. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ResultsFileError);
    expect((e as Error).name).toBe('ResultsFileError');
    expect((e as Error).message).not.toMatch(/[\r\n\u2028\u2029]/);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('quote', () => {
  it('quotes and escapes control characters, so a message stays one line', () => {
    expect(quote('a b')).toBe("'a b'");
    expect(quote('x\ny\rz\tw')).toBe("'x\\ny\\rz\\tw'");
    expect(quote('\u0001\u007f\u2028')).toBe("'\\u0001\\u007f\\u2028'");
    expect(quote('')).toBe("''");
  });
});

describe('ResultsFileError', () => {
  it('folds line breaks of any kind into spaces', () => {
    expect(new ResultsFileError('a\nb\r\nc\u2028d').message).toBe('a b c d');
  });
});

describe('reading a results CSV from disk', () => {
  it('reads what writeResultFiles wrote, and says which file it could not read and why', () => {
    const d = fresh();
    const csv = path.join(d, 'deep', 'r.csv');
    writeResultFiles(
      csv,
      [row(), row({ threads: 2, faults_per_sec_mean: 150 })],
      [runRecord(row(), 1, 90), runRecord(row(), 2, 110)],
      { mkdir: true },
    );
    expect(readResultsFile(csv).map((r) => r.faults_per_sec_mean)).toEqual([100, 150]);
    expect(refusal(() => readResultsFile(path.join(d, 'none.csv'), 'base file'))).toBe(
      `base file '${path.join(d, 'none.csv')}': cannot read: no such file`,
    );
    expect(refusal(() => readResultsFile(d))).toBe(`results file '${d}': cannot read: is a directory`);
  });

  it('reads a sidecar, none when it is missing, and refuses one it cannot read', () => {
    const d = fresh();
    const csv = path.join(d, 'r.csv');
    expect(readRunsFile(csv)).toBeNull();
    fs.mkdirSync(path.join(d, 'r.runs.csv'));
    expect(refusal(() => readRunsFile(csv, 'new'))).toBe(
      `new runs sidecar '${path.join(d, 'r.runs.csv')}': cannot read: is a directory`,
    );
    expect(refusal(() => readRunsFile(csv))).toBe(
      `results runs sidecar '${path.join(d, 'r.runs.csv')}': cannot read: is a directory`,
    );
  });

  it('loadResultSet says where the spread comes from: the sidecar, part of it, or the CI columns', () => {
    const d = fresh();
    const csv = path.join(d, 'r.csv');
    const one = row();
    const two = row({ threads: 2 });
    fs.writeFileSync(csv, resultsCsv([one, two]));
    const none = loadResultSet(csv, 'base');
    expect(none.runs).toBeNull();
    expect(none.runsNote).toBe(
      `${path.join(d, 'r.runs.csv')} not found: using the CI columns of ${csv} (sd = CI half-width / t × √runs)`,
    );

    fs.writeFileSync(
      path.join(d, 'r.runs.csv'),
      runsCsv([runRecord(one, 1, 90), runRecord(one, 2, 110), runRecord(two, 1, 80)]),
    );
    const part = loadResultSet(csv, 'base');
    expect(part.runs!.get(rowKey(one))).toEqual([90, 110]);
    expect(part.runsNote).toBe(
      `per-run samples from ${path.join(d, 'r.runs.csv')} for 1 of 2 rows; CI columns of ${csv} for the rest`,
    );

    fs.writeFileSync(
      path.join(d, 'r.runs.csv'),
      runsCsv([runRecord(one, 1, 90), runRecord(one, 2, 110), runRecord(two, 1, 80), runRecord(two, 2, 85)]),
    );
    expect(loadResultSet(csv, 'base').runsNote).toBe(`per-run samples from ${path.join(d, 'r.runs.csv')}`);

    // A failed row needs no runs.
    fs.writeFileSync(
      csv,
      resultsCsv([one, row({ threads: 2, status: 'failed', runs: NaN, faults_per_sec_mean: NaN })]),
    );
    expect(loadResultSet(csv, 'base').runsNote).toBe(`per-run samples from ${path.join(d, 'r.runs.csv')}`);
    expect(loadResultSet(csv, 'base').label).toBe(csv);
  });
});

describe('measuredRows', () => {
  it('keeps the measured rows, and refuses a file with none or with no rows at all', () => {
    const failed = row({ status: 'failed' });
    expect(measuredRows([failed, row()], "'r.csv'")).toEqual([row()]);
    expect(refusal(() => measuredRows([], "'r.csv'"))).toBe("'r.csv': has a header but no result rows");
    expect(refusal(() => measuredRows([failed, row({ status: 'interrupted' })], "'r.csv'"))).toBe(
      "'r.csv': none of its 2 rows was measured (every one failed or was interrupted)",
    );
  });
});

describe('the cells a results CSV must have', () => {
  const text = (over: Partial<Record<string, string | number>>): string => resultsCsv([row(over as Partial<Row>)]);
  const where = "'r.csv' line 2";

  it('threads and runs are integers of at least 1 in a measured row; runs may be empty or 0 in a failed one', () => {
    expect(refusal(() => parseResultsCsv(text({ threads: 0 }), "'r.csv'"))).toBe(
      `${where}: threads '0' is not an integer of at least 1`,
    );
    expect(refusal(() => parseResultsCsv(text({ threads: 1.5 }), "'r.csv'"))).toBe(
      `${where}: threads '1.5' is not an integer of at least 1`,
    );
    expect(refusal(() => parseResultsCsv(text({ runs: 0 }), "'r.csv'"))).toBe(
      `${where}: runs '0' is not an integer of at least 1`,
    );
    expect(refusal(() => parseResultsCsv(text({ runs: NaN }), "'r.csv'"))).toBe(
      `${where}: runs '' is not an integer of at least 1`,
    );
    expect(parseResultsCsv(text({ status: 'failed', runs: 0, faults_per_sec_mean: NaN }), "'r.csv'")[0]!.runs).toBe(0);
    expect(
      parseResultsCsv(text({ status: 'failed', runs: NaN, faults_per_sec_mean: NaN }), "'r.csv'")[0]!.runs,
    ).toBeNaN();
    expect(refusal(() => parseResultsCsv(text({ status: 'failed', runs: -1 }), "'r.csv'"))).toBe(
      `${where}: runs '-1' is not an integer of at least 0`,
    );
  });

  it('the mean is a number of at least 0 in a measured row, and any number cell is a plain decimal', () => {
    expect(refusal(() => parseResultsCsv(text({ faults_per_sec_mean: -1 }), "'r.csv'"))).toBe(
      `${where}: faults_per_sec_mean '-1' is not a number of at least 0`,
    );
    expect(refusal(() => parseResultsCsv(text({ faults_per_sec_mean: NaN }), "'r.csv'"))).toBe(
      `${where}: faults_per_sec_mean '' is not a number of at least 0`,
    );
    expect(refusal(() => parseResultsCsv(text({ cv: 'Infinity' }), "'r.csv'"))).toBe(
      `${where}: cv 'Infinity' is not a number`,
    );
    expect(refusal(() => parseResultsCsv(text({ cv: '0x1' }), "'r.csv'"))).toBe(`${where}: cv '0x1' is not a number`);
    expect(parseResultsCsv(text({ cv: ' 0.5 ' }), "'r.csv'")[0]!.cv).toBe(0.5);
  });

  it('names at most three missing columns, and how many more', () => {
    const msg = refusal(() => parseResultsCsv('a,b,c,d\n1,2,3,4\n', "'r.csv'"));
    expect(msg).toMatch(
      /^'r\.csv': not a faultscale results CSV: header lacks target, workload, journal and \d+ more \(it starts 'a,b,c'\)$/,
    );
    const three = refusal(() =>
      parseResultsCsv(
        resultsCsv([row()]).replace(/^([^\n]*)/, (h) =>
          h.replace('runs,', 'x,').replace('target,', 'y,').replace('profile,', 'z,'),
        ),
        "'r.csv'",
      ),
    );
    expect(three).toMatch(/header lacks target, profile, runs \(it starts/);
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole text, creating directories only when asked, and leaves no temporary file', () => {
    const d = fresh();
    const f = path.join(d, 'a', 'b', 'x.json');
    expect(() => writeFileAtomic(f, '{}')).toThrow(/ENOENT/);
    writeFileAtomic(f, '{"a":1}\n', { mkdir: true });
    writeFileAtomic(f, '{"a":2}\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('{"a":2}\n');
    expect(fs.readdirSync(path.dirname(f))).toEqual(['x.json']);
  });

  it("lets the write's own error through when there is no temporary file to remove", () => {
    const f = path.join(fresh(), 'x.json');
    expect(() => writeFileAtomic(f, undefined as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(fs.existsSync(f)).toBe(false);
  });

  it('on a failed rename removes its temporary file and keeps the old target', () => {
    const d = fresh();
    const target = path.join(d, 'busy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'kept');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(fs.readdirSync(d)).toEqual(['busy']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
