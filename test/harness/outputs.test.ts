/**
 * Output paths are checked before any work: every file a command will write
 * (bench's CSV, its .runs.csv sidecar, the JSON and the HTML report; bench:fs's
 * merged CSV and sidecar; calibrate's profile; report's HTML) is refused with
 * one UsageError line naming the option when it cannot be written. Also where
 * access checks alone would pass: as root, in /proc, where no file can be made.
 */
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { checkCreatable, checkWritable } from '../../src/harness/args/index.js';
import { parseCalibrateArgs } from '../../src/harness/calibrate/calibrate.js';
import { UsageError } from '../../src/harness/errors.js';
import { parseMatrixArgs } from '../../src/harness/fsmatrix/fsmatrix.js';
import { parseBenchArgs } from '../../src/harness/options.js';
import { describeResult, repoRoot, runCli, scratchDir } from '../helpers/cli.js';
import { need, procfsMissing } from '../helpers/need.js';

const root = scratchDir('outputs');
let n = 0;
const fresh = (): string => {
  const d = path.join(root, `d${++n}`);
  fs.mkdirSync(d);
  return d;
};

/** /proc takes no new files, not even from root: the case stat and access cannot see. */
const procfsNeed = need('procfs at /proc', procfsMissing());
const procfs = !procfsNeed.skip;

function usage(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('accepted');
}

const bench = (argv: string[], cwd: string) =>
  parseBenchArgs(argv, { cores: 2, now: new Date('2026-11-24T00:00:00Z'), cwd });

describe('bench', () => {
  it('refuses a sidecar or a report path it could not write, naming the option', () => {
    const d = fresh();
    fs.mkdirSync(path.join(d, 'r.runs.csv'));
    expect(usage(() => bench(['--csv', 'r.csv'], d)).message).toBe(
      `--csv: cannot write '${path.join(d, 'r.runs.csv')}': it is a directory`,
    );
    const e = fresh();
    fs.mkdirSync(path.join(e, 'r.html'));
    expect(usage(() => bench(['--csv', 'r.csv', '--report'], e)).message).toBe(
      `--report: cannot write '${path.join(e, 'r.html')}': it is a directory`,
    );
    // Without --report the same directory is no obstacle.
    expect(bench(['--csv', 'r.csv'], e).kind).toBe('run');
  });

  it('checks the default CSV even before results/ exists, and never leaves a file behind', () => {
    const d = fresh();
    fs.writeFileSync(path.join(d, 'results'), 'a file where the directory would go');
    expect(usage(() => bench([], d)).message).toMatch(
      /^--csv: cannot write '.*results.*': a parent in the path is not a directory$/,
    );
    const ok = fresh();
    expect(bench([], ok).kind).toBe('run');
    expect(fs.readdirSync(ok)).toEqual([]);
  });

  it.skipIf(procfsNeed.skip)(procfsNeed.label('refuses outputs in /proc, where even root cannot create a file'), () => {
    for (const flag of ['--csv', '--json']) {
      const e = usage(() => bench([flag, '/proc/faultscale-out.x'], fresh()));
      expect(e.message).toMatch(
        new RegExp(`^${flag}: cannot write '/proc/faultscale-out.x': cannot create a file in '/proc'`),
      );
    }
  });
});

describe('bench:fs and calibrate', () => {
  it('bench:fs refuses its merged CSV and sidecar before any file system is made', () => {
    const d = fresh();
    fs.mkdirSync(path.join(d, 'm.runs.csv'));
    const env = { cwd: d, now: new Date(), cores: 2 };
    expect(usage(() => parseMatrixArgs(['--csv', 'm.csv'], env)).message).toBe(
      `--csv: cannot write '${path.join(d, 'm.runs.csv')}': it is a directory`,
    );
    if (procfs)
      expect(usage(() => parseMatrixArgs(['--csv', '/proc/m.csv'], env)).message).toMatch(
        /^--csv: cannot write '\/proc\/m.csv'/,
      );
  });

  it.skipIf(procfsNeed.skip)(procfsNeed.label('calibrate refuses a profile path under /proc, before measuring'), () => {
    const e = usage(() => parseCalibrateArgs(['--out', '/proc/faultscale/host.json'], { cwd: fresh(), cores: 2 }));
    expect(e.message).toMatch(/^--out: cannot write '\/proc\/faultscale\/host.json': cannot create a file in '\/proc'/);
  });
});

describe('the checks themselves', () => {
  it('leave an existing file exactly as it was, and no probe behind', () => {
    const d = fresh();
    const file = path.join(d, 'keep.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    const before = fs.statSync(file);
    checkWritable('--csv', file);
    checkCreatable('--out', path.join(d, 'new', 'deeper', 'x.json'));
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(fs.readdirSync(d)).toEqual(['keep.csv']);
  });
});

describe('the CLIs', () => {
  it.skipIf(procfsNeed.skip)(
    procfsNeed.label('bench and report: one line, exit 2, nothing measured or rendered'),
    async () => {
      const cwd = fresh();
      const b = await runCli(['--quick', '--csv', '/proc/faultscale-x.csv'], cwd);
      expect(b.status, describeResult(b)).toBe(2);
      expect(b.stderr).toBe(
        "faultscale: --csv: cannot write '/proc/faultscale-x.csv': cannot create a file in '/proc' (ENOENT)\n",
      );
      expect(b.stdout).toBe('');

      const csv = path.join(cwd, 'in.csv');
      fs.writeFileSync(csv, 'not read: the output is refused first\n');
      const script = path.join(repoRoot, 'dist', 'src', 'commands', 'report.js');
      const r = await runCli([csv, '--out', '/proc/faultscale-x.html'], cwd, 30_000, { script });
      expect(r.status, describeResult(r)).toBe(2);
      expect(r.stderr).toMatch(
        /^faultscale: --out: cannot write '\/proc\/faultscale-x.html': cannot create a file in '\/proc'[^\n]*\n$/,
      );
      expect(fs.readdirSync(cwd)).toEqual(['in.csv']);
      // Two CLI starts: on a loaded machine they outlast the default 5 s.
    },
    60_000,
  );
});
