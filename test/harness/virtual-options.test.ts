/**
 * The virtual target's sweep defaults and limits: its thread list, --quick,
 * windows in virtual time, threads up to 1024 (256 for the other targets),
 * and --seed.
 */

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parseBenchArgs } from '../../src/harness/options.js';
import { scratchDir } from '../helpers/cli.js';
import { flatOptions } from '../helpers/flat-options.js';
import { usageError } from '../helpers/usage.js';

const tmp = scratchDir('vopt');
const env = { cores: 2, now: new Date('2026-12-02T06:00:00Z'), cwd: tmp };

function options(argv: string[]) {
  const got = parseBenchArgs(argv, env);
  if (got.kind !== 'run') throw new Error('help');
  return flatOptions(got.options);
}

const usage = (argv: string[]): UsageError => usageError(argv, env);

describe('--target virtual', () => {
  it('sweeps past the cores into the SMT threads by default, windows in whole ticks, kernel intervals at their real length', () => {
    const o = options(['--target', 'virtual']);
    expect(o.threads).toEqual([1, 2, 4, 8, 16, 32, 64, 80, 128, 160]);
    expect(o.durationSec).toBeCloseTo(5 * 0.004, 12);
    expect(o.warmupSec).toBeCloseTo(2 * 0.004, 12);
    const fast = options(['--target', 'virtual', '--hz', '1000']);
    expect(fast.durationSec).toBeCloseTo(0.005, 12);
    expect(fast.warmupSec).toBeCloseTo(0.002, 12);
    expect(o.timeScale).toBe(1);
    expect(o.observerIntervalMs).toBe(3000);
    expect(o.pages).toBe(4096);
    expect(o.seed).toBe(1);
  });

  it('--quick reaches at least 64 CPUs; explicit options still win', () => {
    const o = options(['--target', 'virtual', '--quick']);
    expect(Math.max(...o.threads)).toBeGreaterThanOrEqual(64);
    expect(o.durationSec).toBeCloseTo(0.02, 12);
    expect(o.warmupSec).toBeCloseTo(0.004, 12);
    const p = options(['--quick', '--target=virtual', '--threads', '2,3', '--duration', '0.002', '--seed', '9']);
    expect(p.threads).toEqual([2, 3]);
    expect(p.durationSec).toBe(0.002);
    expect(p.seed).toBe(9);
  });

  it('the other targets keep their own defaults', () => {
    const o = options([]);
    expect(o.threads).toEqual([1, 2]);
    expect(o.durationSec).toBe(3);
    expect(o.timeScale).toBe(0.01);
  });

  it('takes up to 1024 threads; the threads targets up to 256', () => {
    expect(Math.max(...options(['--target', 'virtual', '--threads', '1000-1024']).threads)).toBe(1024);
    const over = usage(['--target', 'virtual', '--threads', '1025']);
    expect(over.option).toBe('--threads');
    expect(over.message).toMatch(/'1025'.*1 to 1024/);
    const real = usage(['--threads', '300']);
    expect(real.message).toMatch(/'300'.*1 to 256/);
  });

  it('a bad --seed is one line naming it', () => {
    const e = usage(['--target', 'virtual', '--seed', 'x']);
    expect(e.option).toBe('--seed');
  });

  it('--jobs: the cores by default, 1 to 256, and only for a simulating target', () => {
    expect(options(['--target', 'virtual']).jobs).toBe(2);
    expect(options(['--target', 'virtual', '--jobs', '7']).jobs).toBe(7);
    for (const bad of ['0', '257', '1.5', 'x']) {
      const e = usage(['--target', 'virtual', '--jobs', bad]);
      expect(e.option).toBe('--jobs');
      expect(e.message).toMatch(/1 to 256/);
    }
    const real = usage(['--jobs', '2']);
    expect(real.option).toBe('--jobs');
    expect(real.message).toMatch(/virtual/);
  });
});
