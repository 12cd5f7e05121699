/**
 * The deterministic scenarios on the live kernel: the model's own step lists
 * (src/model/scenarios.ts), run on a real file in a directory through the
 * native addon. A store is a real store into a MAP_SHARED mapping, whose
 * faults (getrusage around that one store) say whether it faulted; a
 * revalidation is fstat, compared with the client's cached mtime, ctime and
 * size; kernel time that the model skips is real here, so an advance past the
 * 30 s writeback expiry is a forced writeback (fsync) instead of a wait, and
 * a shorter one waits only until the coarse clock has moved.
 */
import { KERNEL_SECONDS } from '../../model/config.js';
import { SCENARIOS, type Steps } from '../../model/scenarios.js';
import { fsInfo } from './fsinfo.js';
import type { FileStat, NativeAddon } from './native.js';

/** The scenarios a live kernel can show: those written only in Steps (no crash, no restart). */
export const KERNEL_SCENARIOS = {
  'first-store-after-writeback': SCENARIOS['first-store-after-writeback'],
  'second-store-to-dirty-page': SCENARIOS['second-store-to-dirty-page'],
  'writeback-window': SCENARIOS['writeback-window'],
} as const satisfies Record<string, { readonly about: string; readonly run: (w: Steps) => void }>;

export type KernelScenarioName = keyof typeof KERNEL_SCENARIOS;
export const KERNEL_SCENARIO_NAMES = Object.keys(KERNEL_SCENARIOS) as KernelScenarioName[];

export const isKernelScenario = (name: string): name is KernelScenarioName => Object.hasOwn(KERNEL_SCENARIOS, name);

/** Pages in the scenario's file, as the model's World has. */
const PAGES = 4;
const EXPIRE_US = KERNEL_SECONDS.dirtyExpire * 1e6;
/** The shortest wait for "time passes": long enough for any HZ's coarse clock to move. */
const MIN_WAIT_MS = 10;

export interface KernelVerdict {
  readonly strategy: 'kernel';
  /** File system type of the directory (fsinfo). */
  readonly fs: string;
  /** Did the tracked store take a write fault (getrusage minor plus major faults > 0 around it)? */
  readonly faulted: boolean;
  readonly noticed: boolean;
  /** Real seconds from the tracked store to the fstat that noticed it; null if never. */
  readonly afterSec: number | null;
  /** Faults (minor plus major) the tracked store took. */
  readonly faults: number;
}

/** What each step did, for the log and for checking the verdict against the raw calls. */
export type KernelStep =
  | { readonly kind: 'store'; readonly tracked: boolean; readonly faults: number; readonly atMs: number }
  | { readonly kind: 'getattr'; readonly stat: FileStat; readonly changed: boolean; readonly atMs: number }
  | { readonly kind: 'writeback'; readonly atMs: number }
  | { readonly kind: 'wait'; readonly ms: number };

export interface KernelRun {
  readonly verdict: KernelVerdict;
  readonly steps: readonly KernelStep[];
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Real time must pass (the coarse clock must move), and the steps are synchronous: sleep this thread. */
const sleepMs = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

export const sameStat = (a: FileStat, b: FileStat): boolean =>
  a.size === b.size &&
  a.mtimeSec === b.mtimeSec &&
  a.mtimeNsec === b.mtimeNsec &&
  a.ctimeSec === b.ctimeSec &&
  a.ctimeNsec === b.ctimeNsec;

const statText = (s: FileStat): string =>
  `mtime ${s.mtimeSec}.${String(s.mtimeNsec).padStart(9, '0')}, ctime ${s.ctimeSec}.${String(s.ctimeNsec).padStart(9, '0')}, size ${s.size}`;

/** One file in the directory, one mapping that stays, one client: the model's World on the real kernel. */
class KernelWorld implements Steps {
  readonly steps: KernelStep[] = [];
  private readonly fd: number;
  private readonly map: number;
  private readonly t0 = nowMs();
  /** What the client cached at its last revalidation (at first: the file as created). */
  private cached: FileStat;
  private tracked: { atMs: number; faults: number } | null = null;
  private noticedAfterMs: number | null = null;
  private value = 0;
  readonly waitMs: number;
  private readonly addon: NativeAddon;
  private readonly log: (line: string) => void;

  constructor(addon: NativeAddon, dir: string, log: (line: string) => void) {
    this.addon = addon;
    this.log = log;
    this.waitMs = Math.max(MIN_WAIT_MS, Math.ceil((2 * addon.coarseClockNs()) / 1e6));
    this.fd = addon.openUnlinked(dir, PAGES * 4096);
    try {
      this.map = addon.mapShared(this.fd, PAGES);
    } catch (e) {
      addon.close(this.fd);
      throw e;
    }
    this.cached = addon.fstat(this.fd);
    this.log(`${this.stamp()}  file created and mapped MAP_SHARED; the client caches ${statText(this.cached)}`);
    // As the model's scenarios start a second after the file was made: let the coarse clock move past its times.
    this.wait();
  }

  private stamp(): string {
    return `t=${((nowMs() - this.t0) / 1000).toFixed(6).padStart(9)}s`;
  }

  private wait(): void {
    sleepMs(this.waitMs);
    this.steps.push({ kind: 'wait', ms: this.waitMs });
  }

  private writeback(why: string): void {
    this.addon.fsync(this.fd);
    this.steps.push({ kind: 'writeback', atMs: nowMs() });
    this.log(
      `${this.stamp()}  fsync (${why}): dirty pages written back, and write-protected where the file system tracks them`,
    );
  }

  store(track = false): void {
    const atMs = nowMs();
    this.value = (this.value % 255) + 1;
    const faults = this.addon.storeByte(this.map, 0, this.value);
    this.steps.push({ kind: 'store', tracked: track, faults, atMs });
    if (track) this.tracked = { atMs, faults };
    this.log(
      `${this.stamp()}  store to page 0${track ? ' (the store in question)' : ''}: ` +
        (faults > 0 ? `write fault (${faults} fault${faults > 1 ? 's' : ''})` : 'no fault (PTE writable)'),
    );
  }

  /** Past the writeback expiry the flusher would have written the page back: force that with fsync. Else let the coarse clock move. */
  advance(us: number): void {
    if (us >= EXPIRE_US) this.writeback(`the flusher would have written the page back within ${us / 1e6} s`);
    this.wait();
  }

  revalidate(quiet = false): boolean {
    const atMs = nowMs();
    const stat = this.addon.fstat(this.fd);
    const changed = !sameStat(stat, this.cached);
    this.steps.push({ kind: 'getattr', stat, changed, atMs });
    if (changed) {
      this.cached = stat;
      if (this.tracked !== null && this.noticedAfterMs === null && this.tracked.atMs <= atMs)
        this.noticedAfterMs = atMs - this.tracked.atMs;
    }
    if (!quiet || changed) {
      this.log(
        `${this.stamp()}  client fstat: ${statText(stat)} → ${changed ? 'changed: revalidates and refetches the data' : 'unchanged: keeps its cache'}`,
      );
    }
    return changed;
  }

  /**
   * The model polls until its horizon while the flusher writes the page back
   * at the expiry. Here the writeback is forced at once; after it nothing in
   * the kernel is left that would change the attributes without another
   * store, so a store still unnoticed then is never noticed.
   */
  follow(): void {
    if (this.noticedAfterMs !== null) return;
    this.writeback('the flusher would write the page back within the 30 s expiry');
    this.wait();
    this.revalidate();
    if (this.noticedAfterMs === null)
      this.log(`${this.stamp()}  still unchanged after writeback: the client never sees the store`);
  }

  close(): void {
    try {
      this.addon.unmap(this.map);
    } finally {
      this.addon.close(this.fd);
    }
  }

  verdict(fs: string): KernelVerdict {
    const t = this.tracked;
    return {
      strategy: 'kernel',
      fs,
      faulted: t !== null && t.faults > 0,
      noticed: this.noticedAfterMs !== null,
      afterSec: this.noticedAfterMs === null ? null : this.noticedAfterMs / 1000,
      faults: t?.faults ?? 0,
    };
  }
}

/** Runs one scenario's steps on a fresh file in `dir` (which must be writable); the file is gone afterwards. */
export function runKernelScenario(
  addon: NativeAddon,
  name: KernelScenarioName,
  dir: string,
  log: (line: string) => void = () => {},
): KernelRun {
  const fs = fsInfo(dir);
  log('');
  log(`--- ${name} on this kernel: ${dir} is ${fs.fsType} (${fs.mountOptions})`);
  const w = new KernelWorld(addon, dir, log);
  try {
    KERNEL_SCENARIOS[name].run(w);
  } finally {
    w.close();
  }
  return { verdict: w.verdict(fs.fsType), steps: w.steps };
}
