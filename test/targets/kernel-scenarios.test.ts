/**
 * The scenarios on the live kernel, in os.tmpdir() and on tmpfs (/dev/shm
 * when it is tmpfs). Nothing here expects a particular kernel's answer: each
 * verdict must agree with the raw calls it came from (the faults getrusage
 * counted at the tracked store, the fstat results the client compared), and
 * the steps must obey what any Linux kernel does (a store only changes the
 * times through a write fault; writeback write-protects the pages of a file
 * system that tracks dirty pages, and tmpfs does not track them).
 * Needs the addon (test/helpers/need.ts). Nothing runs while the tests are
 * collected, so without it the file skips instead of failing to load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fsInfo } from '../../src/targets/kernel/fsinfo.js';
import {
  KERNEL_SCENARIO_NAMES,
  runKernelScenario,
  type KernelRun,
  type KernelStep,
} from '../../src/targets/kernel/scenarios.js';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { needNativeAddon } from '../helpers/need.js';

const addonNeed = needNativeAddon();
const { label, addon } = addonNeed;

const tmpfs = ((): string | null => {
  try {
    return fsInfo('/dev/shm').fsType === 'tmpfs' ? '/dev/shm' : null;
  } catch {
    return null;
  }
})();
const DIRS = [os.tmpdir(), ...(tmpfs ? [tmpfs] : [])];
/** File systems that write dirty pages back and so write-protect them (page_mkclean); tmpfs keeps pages in memory and tracks nothing. */
const WRITEBACK_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs']);

const tracked = (r: KernelRun): Extract<KernelStep, { kind: 'store' }> => {
  const s = r.steps.find((x): x is Extract<KernelStep, { kind: 'store' }> => x.kind === 'store' && x.tracked);
  if (!s) throw new Error('no tracked store');
  return s;
};
const getattrs = (r: KernelRun): Extract<KernelStep, { kind: 'getattr' }>[] =>
  r.steps.filter((x): x is Extract<KernelStep, { kind: 'getattr' }> => x.kind === 'getattr');

describe.skipIf(addonNeed.skip)(label('kernel scenarios'), () => {
  for (const dir of DIRS) {
    const fsType = fsInfo(dir).fsType;
    describe(`${dir} (${fsType})`, () => {
      // Run in beforeAll, not while collecting: a skipped suite's body is still collected.
      const runs = new Map<string, KernelRun>();
      beforeAll(() => {
        for (const n of KERNEL_SCENARIO_NAMES) runs.set(n, runKernelScenario(addon(), n, dir));
      });

      it.each(KERNEL_SCENARIO_NAMES)('%s: the verdict is what getrusage and fstat showed', (name) => {
        const r = runs.get(name)!;
        const store = tracked(r);
        expect(r.verdict.strategy).toBe('kernel');
        expect(r.verdict.fs).toBe(fsType);
        expect(r.verdict.faults).toBe(store.faults);
        expect(r.verdict.faulted).toBe(store.faults > 0);
        // Noticed exactly when a later fstat differed from the client's cache, and after the time to that fstat.
        const seen = getattrs(r).find((g) => g.atMs >= store.atMs && g.changed);
        expect(r.verdict.noticed).toBe(seen !== undefined);
        if (seen) expect(r.verdict.afterSec).toBeCloseTo((seen.atMs - store.atMs) / 1000, 9);
        else expect(r.verdict.afterSec).toBeNull();
      });

      it.each(KERNEL_SCENARIO_NAMES)(
        '%s: attributes change only after a store that faulted (or a writeback)',
        (name) => {
          const r = runs.get(name)!;
          let cause = false;
          for (const s of r.steps) {
            if ((s.kind === 'store' && s.faults > 0) || s.kind === 'writeback') cause = true;
            if (s.kind === 'getattr') {
              if (s.changed)
                expect(cause, `${name}: fstat saw a change with no fault or writeback before it`).toBe(true);
              cause = false;
            }
          }
        },
      );

      it('second-store-to-dirty-page: the second store hits a dirty, writable page and does not fault', () => {
        const r = runs.get('second-store-to-dirty-page')!;
        expect(r.steps.filter((s) => s.kind === 'store').map((s) => s.kind === 'store' && s.faults > 0)).toEqual([
          true,
          false,
        ]);
        // No fault: nothing ran that could change the times, so the fstat right after it shows none.
        const after = getattrs(r).find((g) => g.atMs >= tracked(r).atMs)!;
        expect(after.changed).toBe(false);
      });

      it('first-store-after-writeback: the store faults where writeback write-protects, and a faulting store after a query shows at once', () => {
        const r = runs.get('first-store-after-writeback')!;
        const store = tracked(r);
        if (WRITEBACK_FS.has(fsType)) expect(store.faults).toBeGreaterThan(0);
        if (fsType === 'tmpfs') expect(store.faults).toBe(0);
        // The first store's fault changed the times (the file system stamps at page_mkwrite); the clock moved since,
        // and the client queried: a faulting tracked store must then show to the very next fstat.
        const first = getattrs(r)[0]!;
        const next = getattrs(r).find((g) => g.atMs >= store.atMs)!;
        if (first.changed && store.faults > 0) expect(next.changed).toBe(true);
      });

      it('writeback-window: the one store is the first on a fresh mapping, so it faults', () => {
        const r = runs.get('writeback-window')!;
        expect(tracked(r).faults).toBeGreaterThan(0);
      });
    });
  }

  it('the CLI runs a scenario on the kernel and prints its verdict; bad --dir, --target and model-only combinations are one line and exit 2', async () => {
    const script = path.join(repoRoot, 'dist', 'src', 'commands', 'scenario.js');
    const cwd = tempDir('kscenario');
    try {
      const ok = await runCli(['writeback-window', '--target', 'kernel', '--dir', cwd], cwd, 30_000, { script });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/verdicts: writeback-window \(kernel\)\n/);
      expect(ok.stdout).toMatch(new RegExp(`\\nkernel +${fsInfo(cwd).fsType} +`));
      const file = path.join(cwd, 'a-file');
      fs.writeFileSync(file, '');
      for (const [args, pattern] of [
        [
          ['writeback-window', '--target', 'kernel', '--dir', path.join(cwd, 'missing')],
          /^faultscale: --dir: cannot write .*does not exist\n$/,
        ],
        [
          ['writeback-window', '--target', 'kernel', '--dir', file],
          /^faultscale: --dir: cannot write .*not a directory\n$/,
        ],
        [
          ['writeback-window', '--target', 'bogus'],
          /^faultscale: --target: unknown value 'bogus'; allowed: model or kernel\n$/,
        ],
        [['writeback-window', '--dir', cwd], /^faultscale: --dir: only --target kernel/],
      ] as const) {
        const r = await runCli(args, cwd, 30_000, { script });
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(pattern);
        expect(r.stdout).toBe('');
      }
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
