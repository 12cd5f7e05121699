/**
 * npm run calibrate: the pure pieces (the fault fit, the profile derivation,
 * argument parsing, the side-by-side table), the profile's round trip through
 * writeProfile and loadProfile, and one quick end-to-end run of the built
 * dist/src/commands/calibrate.js (about 45 s on 2 shared cores as root, which makes the
 * fault-path filesystems; skipped, with the reason in
 * its name, only when the native addon is unavailable).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, type CliResult } from '../helpers/cli.js';
import { nativeAddonMissing, need } from '../helpers/need.js';
import { thrownBy } from '../helpers/thrown.js';

import {
  DEFAULT_FAULT_NS,
  DEFAULT_JOURNAL_NS,
  FAULT_SPLIT,
  JOURNAL_FIELDS,
  SCALED_FIELDS,
  benchArgs,
  deriveHostProfile,
  fitFaultCost,
  formatSideBySide,
  parseCalibrateArgs,
  ratesFromCsv,
  sideBySide,
  splitByWeights,
  writeProfile,
  type DeriveInput,
} from '../../src/harness/calibrate/calibrate.js';
import { csvLine } from '../../src/rows/codec.js';
import { UsageError } from '../../src/harness/errors.js';
import type { FsInfo } from '../../src/targets/kernel/fsinfo.js';
import { HOST_PROFILE_PATH, PROFILES, loadProfile, type CostProfile } from '../../src/model/profiles.js';
import { COLUMNS } from '../../src/rows/rows.js';
import { readHostHardware } from '../../src/targets/virtual/this-host.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const calibrateCli = path.join(repoRoot, 'dist', 'src', 'commands', 'calibrate.js');

const root = scratchDir('calibrate-test');

const NS_FIELDS = Object.keys(PROFILES.zero).filter((k) => k.endsWith('Ns')) as (keyof CostProfile)[];

function base(over: Partial<DeriveInput> = {}): DeriveInput {
  return {
    faultNs: 1000,
    mmapNs: 5000,
    journalNs: 300,
    kernel: '6.1.0-test',
    faultWhere: 'plainLoop on tmpfs /dev/shm',
    journalWhere: 'futimes on ext4 /tmp minus tmpfs /dev/shm',
    when: new Date('2026-01-02T03:04:05Z'),
    ...over,
  };
}

function expectSaneProfile(p: CostProfile): void {
  expect(p.name).toBe('host');
  expect(p.version).toBe(1);
  expect(typeof p.description).toBe('string');
  for (const k of NS_FIELDS) {
    const v = p[k] as number;
    expect(Number.isFinite(v), `${k} = ${v}`).toBe(true);
    expect(v, k).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(v), `${k} = ${v} is a whole number of ns`).toBe(true);
  }
  // Only the CostProfile fields: buildConfig turns every other field into work units.
  expect(Object.keys(p).sort()).toEqual(Object.keys(PROFILES.zero).sort());
}

describe('deriveHostProfile', () => {
  it('splits a fault 80/20, the journal like the default profile, and scales the rest by measured/default fault', () => {
    const p = deriveHostProfile(base());
    expectSaneProfile(p);
    expect(p.faultEntryNs).toBe(800);
    expect(p.mkwriteNs).toBe(200);
    expect(p.mmapNs).toBe(5000);
    // The default's journal steps are 80:40:120:60 = 300 ns; a measured 300 ns gives them back exactly.
    expect(DEFAULT_JOURNAL_NS).toBe(300);
    for (const k of JOURNAL_FIELDS) expect(p[k], k).toBe(PROFILES.default[k]);
    const scale = 1000 / DEFAULT_FAULT_NS;
    for (const k of SCALED_FIELDS) expect(p[k], k).toBe(Math.round(PROFILES.default[k] * scale));
    expect(p.description).toMatch(/2026-01-02T03:04:05\.000Z/);
    expect(p.description).toMatch(/6\.1\.0-test/);
    expect(p.description).toMatch(/tmpfs \/dev\/shm/);
  });

  it('keeps the documented proportions for awkward numbers (within rounding)', () => {
    const p = deriveHostProfile(base({ faultNs: 12994.4, mmapNs: 44809.2, journalNs: 349.3 }));
    expectSaneProfile(p);
    expect(p.faultEntryNs + p.mkwriteNs).toBe(12994);
    expect(Math.abs(p.faultEntryNs - 12994.4 * FAULT_SPLIT.faultEntryNs)).toBeLessThanOrEqual(1);
    expect(Math.abs(p.mkwriteNs - 12994.4 * FAULT_SPLIT.mkwriteNs)).toBeLessThanOrEqual(1);
    const journal = JOURNAL_FIELDS.reduce((s, k) => s + p[k], 0);
    expect(journal).toBe(349);
    for (const k of JOURNAL_FIELDS) {
      expect(Math.abs(p[k] - (349.3 * PROFILES.default[k]) / DEFAULT_JOURNAL_NS), k).toBeLessThanOrEqual(1);
    }
  });

  it('clamps a negative journal difference to 0, and scales the default journal when none was measured', () => {
    const neg = deriveHostProfile(base({ journalNs: -42 }));
    expectSaneProfile(neg);
    for (const k of JOURNAL_FIELDS) expect(neg[k], k).toBe(0);

    const none = deriveHostProfile(
      base({ faultNs: 1500, journalNs: null, journalSkipReason: '/tmp is xfs, not ext4' }),
    );
    expectSaneProfile(none);
    for (const k of JOURNAL_FIELDS) expect(none[k], k).toBe(PROFILES.default[k] * 2);
    expect(none.description).toMatch(/not measured \(\/tmp is xfs, not ext4\)/);
  });

  it('rejects non-finite or non-positive fault costs', () => {
    for (const faultNs of [0, -1, NaN, Infinity])
      expect(() => deriveHostProfile(base({ faultNs }))).toThrow(/fault cost/);
    for (const mmapNs of [-1, NaN, Infinity]) expect(() => deriveHostProfile(base({ mmapNs }))).toThrow(/mmap cost/);
    expect(() => deriveHostProfile(base({ journalNs: NaN }))).toThrow(/journal cost/);
  });

  it('always yields finite, non-negative whole fields in the documented proportions (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.option(fc.double({ min: -1e6, max: 1e7, noNaN: true })),
        (faultNs, mmapNs, journalNs) => {
          const p = deriveHostProfile(base({ faultNs, mmapNs, journalNs }));
          for (const k of NS_FIELDS) {
            const v = p[k] as number;
            if (!(Number.isInteger(v) && v >= 0)) return false;
          }
          if (p.faultEntryNs + p.mkwriteNs !== Math.round(faultNs)) return false;
          if (Math.abs(p.faultEntryNs - faultNs * 0.8) > 1) return false;
          const jTotal =
            journalNs === null ? DEFAULT_JOURNAL_NS * (faultNs / DEFAULT_FAULT_NS) : Math.max(0, journalNs);
          return JOURNAL_FIELDS.every((k) => Math.abs(p[k] - (jTotal * PROFILES.default[k]) / DEFAULT_JOURNAL_NS) <= 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('splitByWeights', () => {
  it('sums to the rounded total with non-negative parts', () => {
    expect(splitByWeights(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitByWeights(0, [80, 40])).toEqual([0, 0]);
    expect(splitByWeights(-5, [1, 2])).toEqual([0, 0]);
    expect(splitByWeights(7, [0, 0])).toEqual([0, 0]);
    expect(splitByWeights(1, [80, 40, 120, 60]).reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('fitFaultCost', () => {
  it('separates the per-pass cost from the per-fault cost', () => {
    const big = { pages: 1000, passes: 2, ns: 2 * (5000 + 1000 * 100), faults: 2000 };
    const small = { pages: 1, passes: 1000, ns: 1000 * (5000 + 100), faults: 1000 };
    const f = fitFaultCost(big, small);
    expect(f.perFaultNs).toBeCloseTo(100, 6);
    expect(f.perPassNs).toBeCloseTo(5000, 6);
    expect(f.faultsPerStore).toBe(1);
    expect(f.perStoreNs).toBeCloseTo(105, 6);
  });

  it('divides by real faults, not stores, when one fault maps several pages', () => {
    // 1000 stores per pass, but only 250 faults (a 4-page folio per fault), 400 ns each.
    const big = { pages: 1000, passes: 1, ns: 5000 + 250 * 400, faults: 250 };
    const small = { pages: 1, passes: 100, ns: 100 * (5000 + 400), faults: 100 };
    const f = fitFaultCost(big, small);
    expect(f.perFaultNs).toBeCloseTo(400, 6);
    expect(f.faultsPerStore).toBe(0.25);
    expect(f.perStoreNs).toBeCloseTo(105, 6);
  });

  it('falls back to the big loop alone when the fit has no positive slope', () => {
    const big = { pages: 100, passes: 1, ns: 1000, faults: 100 };
    const small = { pages: 1, passes: 1, ns: 5000, faults: 1 }; // noise: the small pass is slower than the big one
    const f = fitFaultCost(big, small);
    expect(f.perFaultNs).toBe(10);
    expect(f.perPassNs).toBe(4990);
    expect(() => fitFaultCost({ ...big, faults: 0 }, small)).toThrow(/no minor faults/);
  });
});

describe('writeProfile / loadProfile round trip', () => {
  const profile = deriveHostProfile(base({ faultNs: 2345.6, mmapNs: 7000, journalNs: 210 }));

  it('loads back what was written, as `host` under the cwd and by its path', () => {
    const cwd = fs.mkdtempSync(path.join(root, 'rt-'));
    const file = path.join(cwd, HOST_PROFILE_PATH);
    writeProfile(file, profile); // creates results/profiles/
    expect(loadProfile('host', cwd)).toEqual(profile);
    expect(loadProfile(file, '/')).toEqual(profile);
    expect(loadProfile(path.relative(cwd, file), cwd)).toEqual(profile);
    // Overwriting is atomic and leaves no temporary file behind.
    const again = { ...profile, mmapNs: 1 };
    writeProfile(file, again);
    expect(loadProfile('host', cwd)).toEqual(again);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['host.json']);
  });
});

describe('parseCalibrateArgs', () => {
  const dirs = fs.mkdtempSync(path.join(root, 'args-'));
  const fakeTmp = path.join(dirs, 'tmp');
  const fakeShm = path.join(dirs, 'shm');
  fs.mkdirSync(fakeTmp);
  fs.mkdirSync(fakeShm);
  const fsTypes =
    (tmp: string, shm: string) =>
    (dir: string): FsInfo => ({
      fsType: path.resolve(dir).startsWith(fakeShm) ? shm : tmp,
      mountOptions: 'rw',
      mountPoint: '/',
      source: 'test',
    });
  const env = (tmp = 'ext4', shm = 'tmpfs') => ({
    cwd: dirs,
    cores: 2,
    tmpdir: fakeTmp,
    shm: fakeShm,
    fsInfo: fsTypes(tmp, shm),
  });

  it('defaults: host.json under the cwd, tmpfs for faults, ext4 temp dir for the journal, threads 1,2', () => {
    const r = parseCalibrateArgs([], env());
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.options).toEqual({
      out: path.join(dirs, HOST_PROFILE_PATH),
      faultDir: fakeShm,
      journalDir: fakeTmp,
      plainDir: fakeShm,
      journalSkipReason: null,
      threads: [1, 2],
      quick: false,
      hardwareOnly: false,
    });
  });

  it('skips the journal, saying why, when the temp dir is not ext4; faults go to the temp dir without tmpfs', () => {
    const r = parseCalibrateArgs(['--quick', '--threads=1-3,max'], env('xfs', 'ext4'));
    if (r.kind !== 'run') throw new Error('expected run');
    expect(r.options.faultDir).toBe(fakeTmp);
    expect(r.options.journalDir).toBeNull();
    expect(r.options.journalSkipReason).toMatch(/is xfs, not ext4; pass --journal-dir/);
    expect(r.options.threads).toEqual([1, 2, 3]);
    expect(r.options.quick).toBe(true);
  });

  it('reports bad input as a one-line UsageError', () => {
    const bad: [string[], RegExp][] = [
      [['--threads', '0'], /^--threads: '0' is not allowed/],
      [['--threads', '1,,2'], /empty item/],
      [['--threads', '3-1'], /runs backwards/],
      [['--threads'], /missing value/],
      [['--bogus'], /unknown option/],
      [['extra'], /unknown option/],
      [['--quick=yes'], /takes no value/],
      [['--out', ''], /give a file path/],
      [['--out', dirs], /it is a directory/],
      [['--out', 'x/'], /names a directory/],
      [['--fault-dir', path.join(dirs, 'nope')], /does not exist/],
      [['--journal-dir', fakeShm], /is on tmpfs, which has no journal/],
    ];
    for (const [argv, re] of bad) {
      const caught = thrownBy(() => parseCalibrateArgs(argv, env()));
      expect(caught, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((caught as Error).message, argv.join(' ')).toMatch(re);
      expect((caught as Error).message).not.toMatch(/\n/);
    }
    expect(parseCalibrateArgs(['--bogus', '--help'], env()).kind).toBe('help');
  });
});

describe('the model vs kernel table', () => {
  const header = COLUMNS.map((c) => c[0]);
  const csv = (rows: Record<string, string | number>[]): string =>
    csvLine(header) + rows.map((r) => csvLine(header.map((h) => r[h] ?? (h === 'runs' ? 1 : '')))).join('');

  it('reads faults/s per thread count from results CSVs and prints threads x (model, kernel, ratio)', () => {
    const model = ratesFromCsv(
      csv([
        { threads: 1, faults_per_sec_mean: 60000 },
        { threads: 2, faults_per_sec_mean: 90000 },
      ]),
    );
    const kernel = ratesFromCsv(
      csv([
        { threads: 1, faults_per_sec_mean: 80000, minor_faults_per_store: 1 },
        { threads: 2, faults_per_sec_mean: 120000, minor_faults_per_store: 1 },
      ]),
    );
    expect(kernel[0]!.minorFaultsPerStore).toBe(1);
    expect(Number.isNaN(model[0]!.minorFaultsPerStore)).toBe(true);
    const rows = sideBySide([1, 2, 4], model, kernel);
    expect(rows[0]).toEqual({ threads: 1, model: 60000, kernel: 80000, ratio: 0.75 });
    expect(rows[2]!.ratio).toBeNaN();
    const text = formatSideBySide(rows);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^threads\s+model faults\/s\s+kernel faults\/s\s+model\/kernel$/);
    expect(lines[2]).toMatch(/^\s*1\s+60\.0k\s+80\.0k\s+0\.75$/);
    expect(lines[3]).toMatch(/^\s*2\s+90\.0k\s+120\.0k\s+0\.75$/);
    expect(lines[4]).toMatch(/^\s*4\s+-\s+-\s+-$/);
  });

  it('asks the bench CLI for the model with the written profile and for the kernel in the fault dir', () => {
    const o = { profilePath: '/p/host.json', faultDir: '/dev/shm', threads: [1, 2], csv: '/t/m.csv', quick: true };
    const m = benchArgs('model', o);
    expect(m.join(' ')).toMatch(/^--profile \/p\/host\.json --strategy eager --journal jbd2 --threads 1,2 /);
    expect(m.join(' ')).toMatch(/--duration 0\.3 --warmup 0\.1 --runs 2 --pages 4096 --csv \/t\/m\.csv$/);
    const k = benchArgs('kernel', { ...o, quick: false });
    expect(k.join(' ')).toBe('--target kernel --dir /dev/shm --threads 1,2 --observer-interval 0 --csv /t/m.csv');
  });
});

// ---------------------------------------------------------------- end to end

type Run = CliResult;

const runCalibrate = (args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> =>
  runCli(args, cwd, timeoutMs, { script: calibrateCli });

const show = (r: Run): string =>
  `status=${r.status} signal=${r.signal}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;

describe('calibrate-cli', () => {
  const addonNeed = need('the native addon', nativeAddonMissing());

  it.skipIf(addonNeed.skip)(
    addonNeed.label('a --quick run exits 0, writes a loadable host profile and prints the side-by-side table'),
    async () => {
      const cwd = fs.mkdtempSync(path.join(root, 'e2e-'));
      const out = path.join(cwd, 'deep', 'dir', 'host.json');
      const r = await runCalibrate(['--quick', '--out', out], cwd, 85_000);
      expect(r.signal, show(r)).toBeNull();
      expect(r.status, show(r)).toBe(0);
      expect(r.stderr, show(r)).not.toMatch(/^\s+at |faultscale: /m);

      const p = loadProfile(out, cwd);
      expectSaneProfile(p);
      expect(loadProfile(path.relative(cwd, out), cwd)).toEqual(p);
      expect(p.faultEntryNs).toBeGreaterThan(0);
      expect(p.description).toMatch(/Calibrated by npm run calibrate/);

      expect(r.stdout).toMatch(/per real minor fault/);
      // As root the fault paths are measured on filesystems made for it; otherwise the step says why not.
      expect(r.stdout).toMatch(/^fault paths: /m);
      expect(p.ext4MkwriteNs).toBeGreaterThanOrEqual(0);
      expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('faultscale-fs-calibrate-'))).toEqual([]);
      expect(r.stdout).toMatch(/journalled inode update/);
      expect(r.stdout).toContain(`profile host written to ${out}`);
      // The this-host record lands beside the profile, readable by the preset.
      expect(readHostHardware(cwd, path.join(path.dirname(out), 'this-host.json')).name).toBe('this-host');
      expect(r.stdout).toMatch(/line transfer: \d+\.\d ns per hand-off/);
      const lines = r.stdout.split('\n');
      const h = lines.findIndex((l) => /^threads\s+model faults\/s\s+kernel faults\/s\s+model\/kernel$/.test(l));
      expect(h, show(r)).toBeGreaterThanOrEqual(0);
      const rate = String.raw`\d+(?:\.\d+)?[kMG]?`;
      expect(lines[h + 2], show(r)).toMatch(new RegExp(String.raw`^\s*1\s+${rate}\s+${rate}\s+\d+\.\d\d$`));
      expect(lines[h + 3], show(r)).toMatch(new RegExp(String.raw`^\s*2\s+${rate}\s+${rate}\s+\d+\.\d\d$`));
    },
    90_000,
  );

  it('--hardware-only measures only this-host, without the native addon, and writes what --hardware this-host reads', async () => {
    const cwd = fs.mkdtempSync(path.join(root, 'hw-'));
    const r = await runCalibrate(['--hardware-only', '--quick'], cwd, 30_000);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).not.toMatch(/write fault|profile host written/);
    const rec = readHostHardware(cwd);
    expect(rec.topology.sockets * rec.topology.coresPerSocket * rec.topology.threadsPerCore).toBe(os.cpus().length);
    expect(rec.lineTransferNs).toBeGreaterThanOrEqual(0);
    expect(rec.wakeNs).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(cwd, HOST_PROFILE_PATH))).toBe(false);
  }, 40_000);

  it('bad input is one line on stderr and exit code 2, before anything is measured', async () => {
    const cwd = fs.mkdtempSync(path.join(root, 'bad-'));
    const r = await runCalibrate(['--threads', '0'], cwd, 20_000);
    expect(r.status, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^faultscale: --threads: '0' is not allowed[^\n]*\n$/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 30_000);
});
