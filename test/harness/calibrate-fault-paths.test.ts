/**
 * calibrate's fault-path derivation on constructed samples (paired per round,
 * per page only with 4 KiB folios, the 2013 value by the default fault), its
 * table, the profile fields it fills, and the scratch filesystems it makes
 * and removes (through a fake shell).
 */
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  DEFAULT_FAULT_NS,
  ScratchMounts,
  deriveExtra,
  deriveHostProfile,
  formatFaultPaths,
  readOff,
  type PathRound,
  type PathSample,
  type ScratchShell,
} from '../../src/harness/calibrate/calibrate.js';
import { DIR_PREFIX, OWNER_FILE } from '../../src/harness/fsmatrix/leftovers.js';
import { PROFILES } from '../../src/model/profiles.js';
import { scratchDir } from '../helpers/cli.js';

const tmp = scratchDir('fault-paths');

/** A loop of `stores` pages that took `nsPerFault` per fault and `faultsPerStore` faults per store. */
const sample = (nsPerFault: number, stores = 1000, faultsPerStore = 1): PathSample => ({
  ns: nsPerFault * stores * faultsPerStore,
  faults: stores * faultsPerStore,
  stores,
});

describe('deriveExtra', () => {
  it('is the paired difference per page, its share of the generic fault, and that share of the default fault', () => {
    const rounds: PathRound[] = [1, 2, 3].map(() => ({ generic: sample(1000), ext4: sample(1100) }));
    const e = deriveExtra(rounds, 'ext4', DEFAULT_FAULT_NS);
    expect(e.extraNs).toBeCloseTo(100, 9);
    expect(e.share).toBeCloseTo(0.1, 12);
    expect(e.hostNs).toBe(100);
    expect(e.defaultNs).toBe(Math.round(0.1 * DEFAULT_FAULT_NS));
    expect(e.faultsPerStore).toBe(1);
  });

  it('pairs each round, so a machine slowing down between rounds leaves the share alone', () => {
    // Each round twice as slow as the one before: unpaired medians would mix rounds, paired shares stay 20%.
    const rounds: PathRound[] = [1, 2, 4, 8, 16].map((f) => ({ generic: sample(500 * f), xfs: sample(600 * f) }));
    const e = deriveExtra(rounds, 'xfs', 1000);
    expect(e.share).toBeCloseTo(0.2, 12);
    expect(e.shareQ1).toBeCloseTo(0.2, 12);
    expect(e.shareQ3).toBeCloseTo(0.2, 12);
    expect(e.defaultNs).toBe(200);
    expect(e.extraNs).toBeCloseTo(400, 9); // the median round's difference, 2400 − 2000
  });

  it('takes medians, so one disturbed round does not move the result', () => {
    const rounds: PathRound[] = [0, 1, 2, 3, 4].map((r) => ({
      generic: sample(r === 2 ? 5000 : 1000),
      ext4: sample(1050),
    }));
    expect(deriveExtra(rounds, 'ext4', 750).share).toBeCloseTo(0.05, 12);
  });

  it('keeps a negative difference in extraNs but writes 0 into the profiles', () => {
    const rounds: PathRound[] = [1, 2, 3].map(() => ({ generic: sample(1000), xfs: sample(980) }));
    const e = deriveExtra(rounds, 'xfs', 750);
    expect(e.extraNs).toBeCloseTo(-20, 9);
    expect(e.hostNs).toBe(0);
    expect(e.defaultNs).toBe(0);
  });

  it('refuses a per-page cost where a fault maps a large folio (0.03 faults per store)', () => {
    const rounds: PathRound[] = [1, 2, 3].map(() => ({ generic: sample(1000), ext4: sample(30000, 1000, 0.03) }));
    expect(() => deriveExtra(rounds, 'ext4', 750)).toThrow(/ext4: 0\.030 minor faults per store: .*large folios/);
    // The same samples still read off per fault and per store, for the record.
    const r = readOff(rounds, 'ext4');
    expect(r.faultsPerStore).toBeCloseTo(0.03, 12);
    expect(r.nsPerFault).toBeCloseTo(30000, 6);
    expect(r.nsPerStore).toBeCloseTo(900, 6);
  });

  it('names the round and the case of a bad or missing sample', () => {
    const good = { generic: sample(1000), ext4: sample(1100) };
    expect(() => deriveExtra([], 'ext4', 750)).toThrow(/no rounds/);
    expect(() => deriveExtra([good, { generic: sample(1000) } as PathRound], 'ext4', 750)).toThrow(
      /round 2 has no ext4 sample/,
    );
    for (const bad of [
      { ns: NaN, faults: 1, stores: 1 },
      { ns: 5, faults: 0, stores: 1 },
      { ns: -1, faults: 1, stores: 1 },
      { ns: 1, faults: 1, stores: Infinity },
    ]) {
      expect(() => deriveExtra([good, { generic: sample(1000), ext4: bad }], 'ext4', 750)).toThrow(
        /round 2: bad ext4 sample/,
      );
    }
    expect(() => deriveExtra([good], 'ext4', 0)).toThrow(/default fault/);
  });
});

describe('the fault-path table', () => {
  const rounds: PathRound[] = [0, 1, 2].map(() => ({
    generic: sample(1000),
    ext4: sample(1200),
    xfs: sample(1100),
    'ext4-faults': sample(20000, 1000, 0.05),
  }));

  it('prints every case, derives the two extras, and reads large-folio cases off without deriving', () => {
    const r = formatFaultPaths(rounds, ['ext4 -O verity: mkfs.ext4 failed']);
    const text = r.lines.join('\n');
    expect(r.extras).toEqual({ ext4MkwriteNs: 200, xfsMkwriteNs: 100 });
    expect(text).toMatch(/ext4MkwriteNs: 200 ns here .* \+20\.0% of the 750 ns generic fault = 150 ns/);
    expect(text).toMatch(/xfsMkwriteNs: 100 ns here .* \+10\.0% of the 750 ns generic fault = 75 ns/);
    expect(text).toMatch(/ext4-faults\s+ext4\s+faults\s+0\.050\s+20000\s+1000\s+large folios: not per page/);
    expect(text).toMatch(/skipped: ext4 -O verity: mkfs\.ext4 failed/);
  });

  it("says why an extra was not derived instead of printing a per-fault time as a page's", () => {
    const big = rounds.map((x) => ({ ...x, xfs: sample(20000, 1000, 0.05) }));
    const r = formatFaultPaths(big, []);
    expect(r.extras).toEqual({ ext4MkwriteNs: 200 });
    expect(r.lines.join('\n')).toMatch(/not derived: xfs: 0\.050 minor faults per store/);
  });
});

describe('deriveHostProfile with fault paths', () => {
  const base = {
    faultNs: 1500,
    mmapNs: 4000,
    journalNs: 300,
    kernel: '6.18',
    faultWhere: 'tmpfs',
    journalWhere: 'ext4',
    when: new Date(0),
  };

  it('writes the measured extras, and scales the default where one was not measured', () => {
    const p = deriveHostProfile({
      ...base,
      pathExtras: { ext4MkwriteNs: 412, xfsMkwriteNs: null },
      pathsWhere: 'ramfs',
    });
    expect(p.ext4MkwriteNs).toBe(412);
    expect(p.xfsMkwriteNs).toBe(Math.round(PROFILES.default.xfsMkwriteNs * (1500 / DEFAULT_FAULT_NS)));
    expect(p.description).toMatch(
      /page_mkwrite extras ext4 412 ns, xfs \d+ ns over the generic path \(ramfs\); xfsMkwriteNs: the default profile's x 2\.00/,
    );
    const none = deriveHostProfile(base);
    expect(none.ext4MkwriteNs).toBe(Math.round(PROFILES.default.ext4MkwriteNs * 2));
  });

  it('rejects a negative or non-finite extra', () => {
    for (const v of [-1, NaN, Infinity]) {
      expect(() => deriveHostProfile({ ...base, pathExtras: { ext4MkwriteNs: v } })).toThrow(
        /ext4MkwriteNs must be a finite number >= 0/,
      );
    }
  });
});

/** A shell that records commands; `fail` names a tool whose next run fails. */
function fakeShell(
  over: Partial<ScratchShell> & { fail?: string } = {},
): ScratchShell & { log: string[]; mounted: Set<string> } {
  const log: string[] = [];
  const mounted = new Set<string>();
  let loops = 0;
  return {
    isRoot: true,
    which: (t) => `/sbin/${t}`,
    kernelHasFs: () => true,
    exec(cmd, args) {
      const tool = path.basename(cmd);
      log.push([tool, ...args].join(' '));
      if (tool === over.fail) return { status: 1, signal: null, stdout: '', stderr: `${tool}: no good\n` };
      if (tool === 'losetup' && args[0] === '--find')
        return { status: 0, signal: null, stdout: `/dev/loop${loops++}\n`, stderr: '' };
      if (tool === 'mount') mounted.add(args.at(-1)!);
      if (tool === 'umount') mounted.delete(args[0]!);
      return { status: 0, signal: null, stdout: '', stderr: '' };
    },
    mountedUnder: (dir) => [...mounted].filter((m) => m.startsWith(dir)),
    log,
    mounted,
    ...over,
  };
}

describe('ScratchMounts', () => {
  it('makes ext4 on a loop device mounted -o lazytime, and undoes it newest first', () => {
    const sh = fakeShell();
    const m = new ScratchMounts(sh, tmp);
    const mnt = m.make('ext4', 128);
    const dir = path.dirname(mnt);
    expect(path.basename(dir)).toMatch(/^faultscale-fs-calibrate-ext4-/);
    expect(fs.statSync(path.join(dir, 'image')).size).toBe(128 * 1024 * 1024);
    expect(sh.log).toEqual([
      `losetup --find --show ${dir}/image`,
      'mkfs.ext4 -q -F /dev/loop0',
      `mount -t ext4 -o lazytime /dev/loop0 ${mnt}`,
    ]);
    // Recorded as bench:fs records its own, so a calibrate killed now is found by bench:fs's clean-up.
    expect(path.basename(dir).startsWith(DIR_PREFIX)).toBe(true);
    const owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as { pid: number; items: string[] };
    expect(owner.pid).toBe(process.pid);
    expect(owner.items).toEqual(['calibrate', `image ${dir}/image`, 'loop /dev/loop0', `mount ${mnt}`]);
    expect(m.release()).toEqual([]);
    expect(sh.log.slice(3)).toEqual([`umount ${mnt}`, 'losetup -d /dev/loop0']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('mounts ramfs without a device, and ext4 -O verity with the feature', () => {
    const sh = fakeShell();
    const m = new ScratchMounts(sh, tmp);
    const r = m.make('ramfs', 0);
    m.make('ext4-verity', 128);
    expect(sh.log[0]).toBe(`mount -t ramfs -o lazytime ramfs ${r}`);
    expect(sh.log).toContain('mkfs.ext4 -q -F -O verity /dev/loop0');
    expect(m.release()).toEqual([]);
  });

  it('a failed mkfs throws naming the command, and release still detaches and removes', () => {
    const sh = fakeShell({ fail: 'mkfs.xfs' });
    const m = new ScratchMounts(sh, tmp);
    expect(() => m.make('xfs', 512)).toThrow(/^mkfs\.xfs -q -f \/dev\/loop0 failed \(exit 1\): mkfs\.xfs: no good$/);
    expect(m.release()).toEqual([]);
    expect(sh.log.at(-1)).toBe('losetup -d /dev/loop0');
    expect(fs.readdirSync(tmp).filter((d) => d.includes('calibrate-xfs'))).toEqual([]);
  });

  it('says why a filesystem cannot be made: not root, a missing tool, no kernel support', () => {
    expect(new ScratchMounts(fakeShell({ isRoot: false }), tmp).whyNot('ramfs')).toMatch(/not running as root/);
    expect(new ScratchMounts(fakeShell({ which: (t) => (t === 'mkfs.xfs' ? null : t) }), tmp).whyNot('xfs')).toBe(
      'mkfs.xfs not found',
    );
    expect(new ScratchMounts(fakeShell({ kernelHasFs: (t) => t !== 'xfs' }), tmp).whyNot('xfs')).toBe(
      'the kernel cannot mount xfs',
    );
    expect(new ScratchMounts(fakeShell(), tmp).whyNot('ext4')).toBeNull();
  });
});
