/**
 * The native addon (native/*.c, built by scripts/build-addon.mjs into
 * build/Release/faultscale.node during `npm ci`): will-it-scale's page_fault3
 * loop in C, for the kernel target. The addon is optional: when the build
 * failed (or never ran) loadNative() says why and callers skip the target.
 *
 * Every thread that calls loadNative() loads the addon into its own isolate
 * (Node-API modules are context-aware); the result is cached per thread.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where writerLoop publishes, as indexes into its Int32Array (all distinct and
 * in bounds, else it throws RangeError):
 *  - stop:      it returns once i32[stop] === stopValue (checked every 64 stores);
 *  - faults, stores: += stores made (every 64 stores and at exit; the two are
 *               always equal at exit: one fault per store);
 *  - passes:    += complete mmap/store/munmap passes (a pass cut short by the
 *               stop is not counted, so stores - passes*pages ∈ [0, pages));
 *  - minflt:    = this thread's minor faults since the call began (stored, not added);
 *  - maxPasses: optional; if given, it also returns after exactly that many
 *               complete passes (bench/native-overhead.ts uses it to run the
 *               same number of stores as plainLoop).
 *  - rewrite:   optional; 1 maps the file once and keeps storing (the rewrite
 *               workload) instead of mapping afresh every pass.
 *  - sampleEvery (optional, > 0) with ring, ringLength, sampleHead, sampleTail,
 *               samplesDropped, epochMs: every sampleEvery-th store writes its
 *               time (µs since epochMs on the process.hrtime clock) into
 *               i32[ring + head % ringLength] and then bumps i32[sampleHead]; a
 *               reader hands slots back through i32[sampleTail]; a sample with
 *               no free slot counts in i32[samplesDropped] (the model writers'
 *               sampleStore, in C).
 */
export interface WriterIndexes {
  stop: number;
  stopValue: number;
  faults: number;
  stores: number;
  passes: number;
  minflt: number;
  maxPasses?: number;
  rewrite?: 0 | 1;
  sampleEvery?: number;
  ring?: number;
  ringLength?: number;
  sampleHead?: number;
  sampleTail?: number;
  samplesDropped?: number;
  epochMs?: number;
}

export interface NativeAddon {
  /** mkstemp `dir/faultscale-XXXXXX`, unlink it at once, ftruncate to `bytes`; returns the fd. */
  openUnlinked(dir: string, bytes: number): number;
  close(fd: number): void;
  /** page_fault3's loop over the first `pages` 4 KiB pages of `fd` until stopped; returns the stores made. */
  writerLoop(i32: Int32Array, fd: number, pages: number, idx: WriterIndexes): number;
  /**
   * writerLoop in a forked child process of its own (will-it-scale's processes flavour): the calling
   * thread relays the stop word in and the counters and samples out every millisecond until the child exits.
   */
  processWriterLoop(i32: Int32Array, fd: number, pages: number, idx: WriterIndexes): number;
  /** The same loop for exactly `passes` passes, no counters or stop checks; returns elapsed ns. */
  plainLoop(fd: number, pages: number, passes: number): number;
  /** getrusage(RUSAGE_THREAD).ru_minflt of the calling thread. */
  minorFaults(): number;
  /** mmap the first `pages` pages of `fd` MAP_SHARED read/write; returns a handle for the calls below. */
  mapShared(fd: number, pages: number): number;
  /** Store `value` into the first byte of `page`; returns the faults (minor plus major: ext4 counts a first touch that fills the page cache as major) that one store took. */
  storeByte(map: number, page: number, value: number): number;
  /** msync the whole mapping, MS_SYNC (`sync`) or MS_ASYNC. */
  msync(map: number, sync: boolean): void;
  /** munmap; the handle is free again. */
  unmap(map: number): void;
  fsync(fd: number): void;
  /** What a client's getattr sees (seconds and nanoseconds apart: their sum in ns does not fit a double). */
  fstat(fd: number): FileStat;
  /** The coarse clock's tick in ns (clock_getres(CLOCK_REALTIME_COARSE)): the resolution of coarse file timestamps. */
  coarseClockNs(): number;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeSec: number;
  readonly mtimeNsec: number;
  readonly ctimeSec: number;
  readonly ctimeNsec: number;
}

export type NativeStatus = { ok: true; addon: NativeAddon } | { ok: false; reason: string };

const EXPORTS = [
  'openUnlinked',
  'close',
  'writerLoop',
  'plainLoop',
  'processWriterLoop',
  'minorFaults',
  'mapShared',
  'storeByte',
  'msync',
  'unmap',
  'fsync',
  'fstat',
  'coarseClockNs',
] as const;

let cached: NativeStatus | undefined;

/**
 * The project root: the nearest ancestor of this module holding faultscale's
 * package.json. At run time this module is dist/src/targets/kernel/native.js,
 * under vitest src/targets/kernel/native.ts.
 */
function projectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'faultscale') return dir;
    } catch {
      // no (readable) package.json here
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not inside an installed faultscale: resolve the addon from the working directory.
  return process.cwd();
}

/** The first non-empty line of `s`, trimmed. */
function firstLine(s: string): string {
  for (const line of s.split(/\r?\n/)) {
    const t = line.trim();
    if (t !== '') return t;
  }
  return '';
}

function load(): NativeStatus {
  const root = projectRoot();
  const addonPath = path.join(root, 'build', 'Release', 'faultscale.node');
  const marker = path.join(root, 'build', 'addon-unavailable.txt');
  // The install script's record of a failed (or deliberately skipped) build wins:
  // `node-gyp rebuild` deletes build/ first, so the marker is never older than
  // a successful build.
  let markerText: string | undefined;
  try {
    markerText = fs.readFileSync(marker, 'utf8');
  } catch {
    markerText = undefined;
  }
  if (markerText !== undefined) {
    return { ok: false, reason: firstLine(markerText) || 'native addon build failed (no reason recorded)' };
  }
  if (!fs.existsSync(addonPath)) {
    return {
      ok: false,
      reason: `native addon not built (${path.relative(root, addonPath)} missing; run: node scripts/build-addon.mjs)`,
    };
  }
  try {
    const require = createRequire(import.meta.url);
    const addon = require(addonPath) as Record<string, unknown>;
    const missing = EXPORTS.filter((name) => typeof addon[name] !== 'function');
    if (missing.length > 0) {
      return {
        ok: false,
        reason: `native addon is stale: missing ${missing.join(', ')} (rebuild: node scripts/build-addon.mjs)`,
      };
    }
    return { ok: true, addon: addon as unknown as NativeAddon };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: firstLine(msg) || 'native addon failed to load' };
  }
}

/** Loads build/Release/faultscale.node once per thread; never throws. */
export function loadNative(): NativeStatus {
  cached ??= load();
  return cached;
}
