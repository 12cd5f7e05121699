/**
 * Filesystem presets: each names a journal, strategy and lock kind the model
 * has; a sweep with presets runs, per preset, that journal and strategy with
 * its lock and granularity, marked in each configuration; --preset's bad
 * input and conflicts are one UsageError naming the option.
 */

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parseBenchArgs } from '../../src/harness/options.js';
import { presetSettings, sweepConfigurations } from '../../src/harness/preset-sweep.js';
import { FS_PRESETS, FS_PRESET_NAMES } from '../../src/model/fs-presets.js';
import { JOURNAL_NAMES } from '../../src/model/journals/index.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { MAX_TIME_GRAN_NS } from '../../src/model/config.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { modelTarget } from '../../src/targets/model/index.js';
import { scratchDir } from '../helpers/cli.js';
import { usageError } from '../helpers/usage.js';

const tmp = scratchDir('presets');
const env = { cores: 2, now: new Date('2026-12-02T07:00:00Z'), cwd: tmp };

const usage = (argv: string[]): UsageError => usageError(argv, env);

describe('the presets', () => {
  it('each names a journal, a strategy and a lock kind the model has, and a granularity it accepts', () => {
    for (const name of FS_PRESET_NAMES) {
      const p = FS_PRESETS[name];
      expect(JOURNAL_NAMES).toContain(p.journal);
      expect(STRATEGY_NAMES).toContain(p.strategy);
      expect(LOCK_KINDS).toContain(p.lock);
      expect(p.timeGranNs >= 1 && p.timeGranNs <= MAX_TIME_GRAN_NS).toBe(true);
    }
  });

  it('ext3 keeps seconds, the others nanoseconds; the 2013 XFS CIL lock is a ticket lock, the 6.13 one queued', () => {
    expect(FS_PRESETS['ext3-2013'].timeGranNs).toBe(1e9);
    for (const n of FS_PRESET_NAMES.filter((x) => x !== 'ext3-2013')) expect(FS_PRESETS[n].timeGranNs).toBe(1);
    expect(FS_PRESETS['xfs-2013'].lock).toBe('ticket');
    expect(FS_PRESETS['xfs-6.13'].lock).toBe('mcs');
  });
});

describe('a sweep over presets', () => {
  const lists = {
    workloads: ['separate-file'] as const,
    journals: ['none'] as const,
    strategies: ['none'] as const,
    threads: [1, 4],
  };

  it("runs each preset's journal and strategy at every thread count, marked with the preset", () => {
    const configs = sweepConfigurations(modelTarget(), lists as never, ['ext3-2013', 'xfs-6.13']);
    expect(configs.map((c) => `${c.preset} ${c.journal} ${c.strategy} ${c.threads}`)).toEqual([
      'ext3-2013 jbd2 eager 1',
      'ext3-2013 jbd2 eager 4',
      'xfs-6.13 xfs-cil-percpu multigrain-iversion 1',
      'xfs-6.13 xfs-cil-percpu multigrain-iversion 4',
    ]);
  });

  it("without presets, is the target's own sweep, and nothing is overridden", () => {
    const configs = sweepConfigurations(modelTarget(), lists as never, []);
    expect(configs.every((c) => c.preset === undefined && c.journal === 'none')).toBe(true);
    expect(presetSettings(configs[0]!)).toEqual({});
  });

  it("a preset's lock, granularity and fault path replace the sweep-wide ones", () => {
    const [c] = sweepConfigurations(modelTarget(), lists as never, ['ext3-2013']);
    expect({ ...{ lock: 'auto', timeGranNs: 1 }, ...presetSettings(c!) }).toEqual({
      lock: 'ticket',
      timeGranNs: 1e9,
      faultPath: 'generic',
    });
  });
});

describe('--preset on the command line', () => {
  it('takes a list or all, in table order', () => {
    const r = parseBenchArgs(['--preset', 'xfs-6.13,ext3-2013'], env);
    if (r.kind !== 'run') throw new Error('expected run');
    expect(r.options.sweep.presets).toEqual(['ext3-2013', 'xfs-6.13']);
    const all = parseBenchArgs(['--preset', 'all'], env);
    if (all.kind !== 'run') throw new Error('expected run');
    expect(all.options.sweep.presets).toEqual(FS_PRESET_NAMES);
    const none = parseBenchArgs([], env);
    if (none.kind !== 'run') throw new Error('expected run');
    expect(none.options.sweep.presets).toEqual([]);
  });

  it('an unknown preset names the option, the value and the presets', () => {
    const e = usage(['--preset', 'ext2-1993']);
    expect(e.option).toBe('--preset');
    expect(e.message).toMatch(/'ext2-1993'.*ext3-2013.*xfs-6\.13.*all/);
  });

  it('refuses what a preset sets beside it', () => {
    for (const [flag, value] of [
      ['--strategy', 'eager'],
      ['--journal', 'jbd2'],
      ['--lock', 'mcs'],
      ['--time-gran', '1'],
    ]) {
      const e = usage(['--preset', 'ext4-2013', flag!, value!]);
      expect(e.option).toBe(flag);
      expect(e.message).toMatch(/cannot be combined with --preset/);
    }
  });

  it('refuses the kernel target, whose filesystem is its own', () => {
    const e = usage(['--preset', 'ext4-6.13', '--target', 'kernel']);
    expect(e.option).toBe('--preset');
    expect(e.message).toMatch(/--target kernel/);
  });
});
