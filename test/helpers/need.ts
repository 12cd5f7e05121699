/**
 * Require or skip: the one way a test says it needs something from outside
 * the repository (the native addon, Chromium, root with loop devices, the
 * mkfs tools, procfs).
 *
 * Outside CI a missing need skips the test, with the reason in its name.
 * Under CI (CI set to anything but "", "0" or "false") it throws at
 * collection, so the run fails with one line naming what is missing: .ci/run
 * installs every need, and a CI that silently skipped them would go blind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { FsName } from '../../src/harness/fsmatrix/constants.js';
import { realHost } from '../../src/harness/fsmatrix/real.js';
import { loadNative, type NativeAddon } from '../../src/targets/kernel/native.js';

export interface Need {
  /** True when the need is missing outside CI: pass it to skipIf. */
  readonly skip: boolean;
  /** The test's name, with the reason appended when it is skipped. */
  label(name: string): string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function inCi(env: Env = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The error a missing need raises under CI: its stack is its one line, so the report shows nothing else. */
export class MissingInCi extends Error {
  constructor(what: string, reason: string) {
    super(`CI needs ${what}, which is missing: ${reason}`);
    this.name = 'MissingInCi';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * `missing` is null when the need is met, else why it is not. Call it at
 * module level (collection), so that CI fails before any test runs.
 */
export function need(what: string, missing: string | null, env: Env = process.env): Need {
  if (missing === null) return { skip: false, label: (name) => name };
  if (inCi(env)) throw new MissingInCi(what, missing);
  return { skip: true, label: (name) => `${name} (skipped: ${what} unavailable: ${missing})` };
}

/** Several needs at once: met when all are; the first missing one names the reason. */
export function needAll(
  needs: readonly (readonly [what: string, missing: string | null])[],
  env: Env = process.env,
): Need {
  const first = needs.find(([, missing]) => missing !== null);
  return first ? need(first[0], first[1], env) : need('', null, env);
}

/** The native addon as a need, with the addon itself for the tests that need does not skip. */
export function needNativeAddon(env: Env = process.env): Need & { readonly addon: () => NativeAddon } {
  const native = loadNative();
  return {
    ...need('the native addon', native.ok ? null : native.reason, env),
    addon: () => {
      if (!native.ok) throw new Error(native.reason);
      return native.addon;
    },
  };
}

// ---------------------------------------------------------------------------
// The probes: each returns null when the thing is there, else why it is not.

export function nativeAddonMissing(): string | null {
  const n = loadNative();
  return n.ok ? null : n.reason;
}

export function chromiumPath(): string | null {
  const r = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const p = r.status === 0 ? r.stdout.trim() : '';
  return p === '' ? null : p;
}

export function chromiumMissing(): string | null {
  return chromiumPath() === null ? 'chromium is not on PATH; scripts/ensure-chromium.sh installs it' : null;
}

/** /proc mounted as procfs (some tests need a directory even root cannot create files in). */
export function procfsMissing(): string | null {
  try {
    const mounted = fs
      .readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[1] === '/proc');
    return mounted ? null : '/proc is not a mounted procfs';
  } catch (e) {
    return `cannot read /proc/self/mounts (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
}

/** Root, and the tools bench:fs needs for a loop-mounted file system. */
export function rootLoopMissing(): string | null {
  const h = realHost();
  if (!h.isRoot) return 'not running as root';
  for (const tool of ['losetup', 'mount', 'umount']) if (h.which(tool) === null) return `${tool} not found`;
  if (!fs.existsSync('/dev/loop-control')) return '/dev/loop-control does not exist';
  return null;
}

/** A mkfs tool (npm run setup:fs installs xfsprogs and btrfs-progs) and a kernel that can mount that file system. */
export function mkfsMissing(fsType: FsName): string | null {
  const h = realHost();
  if (h.which(`mkfs.${fsType}`) === null) return `mkfs.${fsType} not found (npm run setup:fs installs it)`;
  if (h.kernelHasFs(fsType) === false) return `the kernel cannot mount ${fsType}`;
  return null;
}
