/**
 * Fault paths: a write fault's page_mkwrite step spends the generic work plus
 * its filesystem's extra, and exactly that extra; presets and, outside them,
 * journals choose the path.
 */
import { describe, expect, it } from 'vitest';

import { presetSettings } from '../../src/harness/preset-sweep.js';
import { buildConfig, type ModelInput } from '../../src/model/config.js';
import { FAULT_PATHS, FAULT_PATH_NAMES, mkwriteCost, type FaultPathName } from '../../src/model/fault-paths.js';
import { FS_PRESETS, FS_PRESET_NAMES } from '../../src/model/fs-presets.js';
import { JOURNAL_NAMES } from '../../src/model/journals/index.js';
import { Kernel } from '../../src/model/kernel.js';
import { P_FLAGS, PG_DIRTY, pageAt, pteTableAt } from '../../src/model/layout.js';
import { atomicsWith, type Memory } from '../../src/model/memory.js';
import { PROFILES, type CostProfile } from '../../src/model/profiles.js';
import { initState } from '../../src/model/state.js';
import type { SweepConfig } from '../../src/targets/target.js';

/** Distinct costs, so a path that spent another path's field (or none) shows a different total. */
const PROFILE: CostProfile = {
  ...PROFILES.zero,
  name: 'test',
  faultEntryNs: 600,
  mkwriteNs: 150,
  ext4MkwriteNs: 37,
  xfsMkwriteNs: 91,
};

function input(over: Partial<ModelInput> = {}): ModelInput {
  return {
    workload: 'separate-file',
    journal: 'none',
    strategy: 'none',
    lock: 'auto',
    profile: PROFILE,
    writers: 1,
    pages: 4,
    timeScale: 0.01,
    tickMs: 4,
    observerIntervalMs: 0,
    cores: 1,
    unitsPerNs: 1,
    ...over,
  };
}

/** The work units one first-touch write fault spends, counted by a Memory that records every spend. */
function unitsOfOneFault(faultPath: FaultPathName | undefined, journal: ModelInput['journal'] = 'none'): number {
  const cfg = buildConfig(input({ journal, ...(faultPath === undefined ? {} : { faultPath }) }));
  const sab = new SharedArrayBuffer(cfg.layout.bytes);
  initState(sab, cfg);
  let spent = 0;
  const mem: Memory = atomicsWith({ spend: (u) => void (spent += u) });
  const k = new Kernel(sab, cfg, 0, () => 0, mem);
  const page = 1;
  k.fault(0, page, pteTableAt(cfg.layout, 0) + page, 1);
  // The fault really ran: the page is dirty and its PTE holds the mapping's generation.
  expect(Atomics.load(k.i32, pteTableAt(cfg.layout, 0) + page)).toBe(1);
  expect(Atomics.load(k.i32, pageAt(cfg.layout, 0, page) + P_FLAGS) & PG_DIRTY).toBe(PG_DIRTY);
  return spent;
}

describe('the fault path a fault spends', () => {
  it('generic spends fault entry + mkwrite; ext4 and xfs add exactly their own extra', () => {
    const generic = unitsOfOneFault('generic');
    expect(generic).toBe(PROFILE.faultEntryNs + PROFILE.mkwriteNs);
    expect(unitsOfOneFault('ext4') - generic).toBe(PROFILE.ext4MkwriteNs);
    expect(unitsOfOneFault('xfs') - generic).toBe(PROFILE.xfsMkwriteNs);
  });

  it('follows the journal outside presets: jbd2 is ext4, the CILs are xfs, none is generic', () => {
    const generic = unitsOfOneFault('generic');
    // Strategy `none` keeps the journal off the fault path, so only page_mkwrite's extra differs.
    expect(unitsOfOneFault(undefined, 'jbd2') - generic).toBe(PROFILE.ext4MkwriteNs);
    expect(unitsOfOneFault(undefined, 'xfs-cil') - generic).toBe(PROFILE.xfsMkwriteNs);
    expect(unitsOfOneFault(undefined, 'xfs-cil-percpu') - generic).toBe(PROFILE.xfsMkwriteNs);
    expect(unitsOfOneFault(undefined, 'none')).toBe(generic);
    for (const j of JOURNAL_NAMES) expect(FAULT_PATH_NAMES).toContain(buildConfig(input({ journal: j })).faultPath);
  });

  it("mkwriteCost names each path's own field, and the generic path none", () => {
    expect(FAULT_PATHS.generic.extraField).toBeNull();
    expect(mkwriteCost(PROFILE, 'generic')).toBe(150);
    expect(mkwriteCost(PROFILE, 'ext4')).toBe(187);
    expect(mkwriteCost(PROFILE, 'xfs')).toBe(241);
  });

  it('the default profile charges ext4 and xfs faults no less than generic ones', () => {
    for (const p of FAULT_PATH_NAMES)
      expect(mkwriteCost(PROFILES.default, p)).toBeGreaterThanOrEqual(PROFILES.default.mkwriteNs);
    for (const p of FAULT_PATH_NAMES) expect(mkwriteCost(PROFILES.zero, p)).toBe(0);
  });
});

describe('presets choose the fault path', () => {
  it('ext3 runs the generic filemap_page_mkwrite, ext4 presets ext4_page_mkwrite, xfs presets xfs_vm_page_mkwrite', () => {
    expect(FS_PRESETS['ext3-2013'].faultPath).toBe('generic');
    for (const name of FS_PRESET_NAMES) {
      const want = name.startsWith('ext4') ? 'ext4' : name.startsWith('xfs') ? 'xfs' : 'generic';
      expect(FS_PRESETS[name].faultPath, name).toBe(want);
    }
  });

  it("a preset's path reaches the configuration over the journal's (ext3 is jbd2 yet generic)", () => {
    const c = { preset: 'ext3-2013' } as SweepConfig;
    const cfg = buildConfig(input({ journal: 'jbd2', ...presetSettings(c) }));
    expect(cfg.faultPath).toBe('generic');
    expect(buildConfig(input({ journal: 'jbd2' })).faultPath).toBe('ext4');
  });
});
