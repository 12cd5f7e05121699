/**
 * validate:virtual: the table from fixture rows (relative to none per
 * configuration, the gap, a missing side), its Markdown layout, the argument
 * checks, the bench command lines each side runs, and that every side's
 * options are parsed (and refused) before anything runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parseBenchArgs } from '../../src/harness/options.js';
import { parseValidateArgs, sideArgs, type ValidateOptions } from '../../src/harness/validate/args.js';
import { planSides } from '../../src/harness/validate/run.js';
import { formatValidation, relativeToNone, validationLines, type RateRow } from '../../src/harness/validate/table.js';
import { TARGET_NAMES } from '../../src/targets/index.js';

const row = (strategy: string, threads: number, faults: number, journal = 'jbd2'): RateRow => ({
  workload: 'separate-file',
  journal,
  strategy,
  threads,
  faults_per_sec_mean: faults,
});

const model = [
  row('none', 1, 1000),
  row('eager', 1, 800),
  row('none', 2, 1800),
  row('eager', 2, 900),
  row('eager', 1, 500, 'xfs-cil'),
  row('none', 1, 1000, 'xfs-cil'),
];
const virt = [row('none', 1, 2000), row('eager', 1, 1700), row('none', 2, 4000), row('eager', 2, 1800)];

describe('the validation table', () => {
  it('divides each strategy by none of the same journal and threads', () => {
    const rel = relativeToNone(model);
    expect(rel.get('separate-file|jbd2|1|eager')).toBeCloseTo(0.8, 12);
    expect(rel.get('separate-file|jbd2|2|eager')).toBeCloseTo(0.5, 12);
    expect(rel.get('separate-file|xfs-cil|1|eager')).toBeCloseTo(0.5, 12);
    expect(rel.get('separate-file|jbd2|1|none')).toBe(1);
  });

  it('leaves out a strategy with no none beside it, and a none of 0', () => {
    expect(relativeToNone([row('eager', 4, 10)]).size).toBe(0);
    expect(relativeToNone([row('none', 1, 0), row('eager', 1, 10)]).size).toBe(0);
  });

  it('sets the sides side by side with the gap virtual / model − 1', () => {
    const lines = validationLines({ model, virtual: virt });
    const at = (j: string, t: number) =>
      lines.find((l) => l.journal === j && l.threads === t && l.strategy === 'eager')!;
    expect(at('jbd2', 1).model).toBeCloseTo(0.8, 12);
    expect(at('jbd2', 1).virtual).toBeCloseTo(0.85, 12);
    expect(at('jbd2', 1).gap).toBeCloseTo(0.85 / 0.8 - 1, 12);
    expect(at('jbd2', 2).gap).toBeCloseTo(0.45 / 0.5 - 1, 12);
    // xfs-cil ran on the model side only.
    expect(at('xfs-cil', 1).virtual).toBeNull();
    expect(at('xfs-cil', 1).gap).toBeNull();
    expect(lines.some((l) => l.strategy === 'none')).toBe(false);
    expect(lines).toHaveLength(3);
  });

  it('works with one side missing altogether', () => {
    const lines = validationLines({ model, virtual: null });
    expect(lines.every((l) => l.virtual === null && l.gap === null && l.model !== null)).toBe(true);
  });

  it('prints a Markdown table, numbers right-aligned, a dash where a side is missing, the gap signed', () => {
    const text = formatValidation(validationLines({ model, virtual: virt }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^\| workload +\| journal +\| threads \| strategy +\| model \/ none \| virtual \/ none \| gap \(virtual \/ model − 1\) \|$/,
    );
    expect(lines[1]).toMatch(/^\| -+ \| -+ \| -+: \| -+ \| -+: \| -+: \| -+: \|$/);
    const jbd1 = lines.find((l) => /\| jbd2 +\| +1 \| eager/.test(l))!;
    expect(jbd1).toMatch(/0\.800 \| +0\.850 \| +\+6\.3% \|$/);
    const jbd2 = lines.find((l) => /\| jbd2 +\| +2 \| eager/.test(l))!;
    expect(jbd2).toMatch(/0\.500 \| +0\.450 \| +−10\.0% \|$/);
    const xfs = lines.find((l) => /xfs-cil/.test(l))!;
    expect(xfs).toMatch(/0\.500 \| +— \| +— \|$/);
    const widths = lines.map((l) => l.length);
    expect(new Set(widths).size).toBe(1);
  });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-validate-'));
const env = (cores = 2) => ({ cores, cwd: tmp, now: new Date('2026-12-02T07:00:00Z') });

function usage(argv: string[], cores = 2): UsageError {
  try {
    parseValidateArgs(argv, env(cores));
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as UsageError;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}

describe('validate:virtual arguments', () => {
  it('defaults to 1 and 2 threads, every strategy but none, jbd2, the default profile', () => {
    const r = parseValidateArgs([], env());
    if (r.kind !== 'run') throw new Error('expected run');
    expect(r.options.threads).toEqual([1, 2]);
    expect(r.options.strategies).not.toContain('none');
    expect(r.options.strategies.length).toBeGreaterThan(3);
    expect(r.options.journals).toEqual(['jbd2']);
    expect(r.options.profile).toBe('default');
  });

  it('takes thread counts up to the cores here, not beyond', () => {
    const r = parseValidateArgs(['--threads', '1-16'], env(16));
    if (r.kind !== 'run') throw new Error('expected run');
    expect(r.options.threads).toHaveLength(16);
    const e = usage(['--threads', '1,4'], 2);
    expect(e.option).toBe('--threads');
    expect(e.message).toMatch(/4 is more than the 2 cores here/);
    expect(usage(['--threads', '0']).option).toBe('--threads');
  });

  it('names the option and the value for an unknown strategy, journal or profile', () => {
    expect(usage(['--strategy', 'sloppy']).message).toMatch(/--strategy: unknown value 'sloppy'/);
    expect(usage(['--journal', 'ext2']).option).toBe('--journal');
    expect(usage(['--profile', 'nope']).option).toBe('--profile');
    expect(usage(['--runs', '0']).option).toBe('--runs');
  });

  it('--json PATH, relative to the working directory, also writes the table as JSON; --out-dir is --csv-dir', () => {
    const parsed = parseValidateArgs(['--json', 'v.json', '--out-dir', '.'], env());
    if (parsed.kind !== 'run') throw new Error('expected a run');
    expect(parsed.options.jsonPath).toBe(path.join(tmp, 'v.json'));
    expect(parsed.options.outDir).toBe(tmp);
    expect(() => parseValidateArgs(['--json', '/proc/x.json'], env())).toThrow(
      /^--json: cannot write '\/proc\/x.json'/,
    );
  });

  it('--help wins over mistakes', () => {
    expect(parseValidateArgs(['--bogus', '--help'], env()).kind).toBe('help');
  });
});

const opts: ValidateOptions = {
  threads: [1, 2],
  strategies: ['eager', 'eager-iversion'],
  journals: ['jbd2'],
  profile: 'default',
  durationSec: 0.2,
  runs: 2,
  quick: true,
  outDir: null,
  jsonPath: null,
};

describe('the sides', () => {
  it('run the same sweep, with none as the reference; the virtual side on this-host', () => {
    const m = sideArgs('model', opts, '/t/model.csv');
    const v = sideArgs('virtual', opts, '/t/virtual.csv');
    expect(m.slice(0, 2)).toEqual(['--target', 'model']);
    expect(v.slice(0, 2)).toEqual(['--target', 'virtual']);
    const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
    for (const f of [
      '--threads',
      '--strategy',
      '--journal',
      '--profile',
      '--duration',
      '--warmup',
      '--runs',
      '--time-scale',
      '--observer-interval',
      '--hz',
    ]) {
      expect(after(m, f)).toBe(after(v, f));
    }
    expect(after(m, '--time-scale')).toBe('1');
    expect(after(m, '--duration')).toBe('0.2');
    const q = sideArgs('model', { ...opts, durationSec: null, runs: null }, '/t/model.csv');
    expect(after(q, '--duration')).toBe('0.04');
    expect(after(q, '--runs')).toBe('2');
    expect(after(m, '--strategy')).toBe('none,eager,eager-iversion');
    expect(after(v, '--hardware')).toBe('this-host');
    expect(m).not.toContain('--hardware');
  });

  it('the model side parses as the bench parses it', () => {
    const p = parseBenchArgs(sideArgs('model', opts, path.join(tmp, 'model.csv')), env());
    if (p.kind !== 'run') throw new Error('expected run');
    expect(p.options.sweep.target).toBe('model');
    expect(new Set(p.options.sweep.strategies)).toEqual(new Set(['none', 'eager', 'eager-iversion']));
    expect(p.options.plan.durationSec).toBe(0.2);
  });

  it('a side whose target is not built in is skipped with a note; one that is built in is planned or refused before anything runs', () => {
    let plan: ReturnType<typeof planSides> | null = null;
    let refused: unknown = null;
    try {
      plan = planSides(opts, env(), tmp);
    } catch (e) {
      refused = e;
    }
    if (!(TARGET_NAMES as readonly string[]).includes('virtual')) {
      expect(plan!.plans.map((p) => p.side)).toEqual(['model']);
      expect(plan!.skipped[0]).toMatch(/virtual: no --target virtual is built in/);
    } else {
      // This scratch directory has no calibration: --hardware this-host is refused, naming npm run calibrate.
      expect(refused).toBeInstanceOf(UsageError);
      expect((refused as Error).message).toMatch(/npm run calibrate/);
    }
  });
});
