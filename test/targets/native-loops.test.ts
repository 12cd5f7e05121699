/**
 * The addon's loop variants: rewrite (map once, keep storing), sampled store
 * times into a ring, and the processes flavour (the loop in a forked child,
 * relayed into the shared counters). Same directory rule as native.test.ts:
 * exact fault counts only on plain tmpfs. Needs the addon (test/helpers/need.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsInfo } from '../../src/targets/kernel/fsinfo.js';
import type { WriterIndexes } from '../../src/targets/kernel/native.js';
import { needNativeAddon } from '../helpers/need.js';
import { startWriterThread } from '../helpers/writer-thread.js';

const addonNeed = needNativeAddon();
const { label, addon } = addonNeed;
const EXACT = ((): boolean => {
  try {
    return (
      fsInfo('/dev/shm').fsType === 'tmpfs' && !/huge=(always|within_size|advise)/.test(fsInfo('/dev/shm').mountOptions)
    );
  } catch {
    return false;
  }
})();
const DIR = EXACT ? '/dev/shm' : os.tmpdir();

const PAGE = 4096;
const PAGES = 256;
const SLACK = 64;
const READY = 5;
const IDX: WriterIndexes = { stop: 3, stopValue: 7, faults: 9, stores: 10, passes: 12, minflt: 14 };
const RING = 32;
const RING_LENGTH = 64;
const SAMPLING = { ring: RING, ringLength: RING_LENGTH, sampleHead: 16, sampleTail: 17, samplesDropped: 18 } as const;
const SLOTS = RING + RING_LENGTH;
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

describe.skipIf(addonNeed.skip)(label('native loops: rewrite, samples, processes'), () => {
  let fd = -1;
  beforeAll(() => {
    fd = addon().openUnlinked(DIR, PAGES * PAGE);
    addon().plainLoop(fd, PAGES, 1); // the page cache holds every page from here on
  });
  afterAll(() => {
    if (fd >= 0) addon().close(fd);
  });

  it(`rewrite maps once: only the first pass faults (${EXACT ? 'tmpfs' : DIR})`, () => {
    const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    const total = addon().writerLoop(i32, fd, PAGES, { ...IDX, maxPasses: 8, rewrite: 1 });
    expect(total).toBe(8 * PAGES);
    expect(Atomics.load(i32, IDX.passes)).toBe(8);
    expect(Atomics.load(i32, IDX.faults)).toBe(8 * PAGES); // iterations, as page_fault3 counts them
    const minflt = Atomics.load(i32, IDX.minflt);
    expect(minflt).toBeGreaterThan(0);
    expect(minflt).toBeLessThanOrEqual(PAGES + SLACK); // page_fault3 would take 8 * PAGES
  });

  it('samples every N-th store time into the ring, in order, inside the call; a full ring counts drops', () => {
    const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    const epochMs = nowMs();
    // 2 passes of 256 stores, one sample per 16: 32 samples, all fit in 64 slots.
    addon().writerLoop(i32, fd, PAGES, { ...IDX, ...SAMPLING, maxPasses: 2, sampleEvery: 16, epochMs });
    const endUs = (nowMs() - epochMs) * 1000;
    expect(Atomics.load(i32, SAMPLING.sampleHead)).toBe(32);
    expect(Atomics.load(i32, SAMPLING.samplesDropped)).toBe(0);
    const times = Array.from(i32.subarray(RING, RING + 32));
    expect(times[0]).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times.at(-1)!).toBeLessThanOrEqual(endUs);
    expect(Array.from(i32.subarray(RING + 32, RING + RING_LENGTH)).every((v) => v === 0)).toBe(true);
    // Nobody reads: 8 passes give 128 samples, 64 fit, the rest are dropped.
    i32.fill(0);
    addon().writerLoop(i32, fd, PAGES, { ...IDX, ...SAMPLING, maxPasses: 8, sampleEvery: 16, epochMs });
    expect(Atomics.load(i32, SAMPLING.sampleHead)).toBe(RING_LENGTH);
    expect(Atomics.load(i32, SAMPLING.samplesDropped)).toBe(128 - RING_LENGTH);
  });

  it('refuses a ring outside the array', () => {
    const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    expect(() =>
      addon().writerLoop(i32, fd, PAGES, { ...IDX, ...SAMPLING, ringLength: SLOTS, sampleEvery: 1, epochMs: 0 }),
    ).toThrow(RangeError);
    expect(() => addon().writerLoop(i32, fd, PAGES, { ...IDX, ...SAMPLING, sampleEvery: 1, epochMs: NaN })).toThrow(
      /epochMs/,
    );
  });

  it(`processWriterLoop: the same counts, and the faults are the child's, not this thread's (${EXACT ? 'one fault per store' : 'faults <= stores'})`, () => {
    const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    const a = addon();
    const m0 = a.minorFaults();
    const total = a.processWriterLoop(i32, fd, PAGES, {
      ...IDX,
      ...SAMPLING,
      maxPasses: 3,
      sampleEvery: 64,
      epochMs: nowMs(),
    });
    const own = a.minorFaults() - m0;
    expect(total).toBe(3 * PAGES);
    expect(Atomics.load(i32, IDX.stores)).toBe(3 * PAGES);
    expect(Atomics.load(i32, IDX.faults)).toBe(3 * PAGES);
    expect(Atomics.load(i32, IDX.passes)).toBe(3);
    expect(Atomics.load(i32, SAMPLING.sampleHead)).toBe((3 * PAGES) / 64);
    const minflt = Atomics.load(i32, IDX.minflt);
    if (EXACT) expect(Math.abs(minflt - total)).toBeLessThanOrEqual(SLACK);
    else expect(minflt).toBeGreaterThan(0);
    // The writer ran in another address space: this thread took none of its faults.
    expect(own).toBeLessThan(SLACK);
  });

  it('processWriterLoop reports the failed call of its child (a read-only fd cannot be mapped shared for writing)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-ro-')), 'f');
    fs.writeFileSync(file, Buffer.alloc(PAGE));
    const ro = fs.openSync(file, 'r');
    try {
      const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
      expect(() => addon().processWriterLoop(i32, ro, 1, { ...IDX, maxPasses: 1 })).toThrow(
        /^processWriterLoop: mmap: Permission denied$/,
      );
    } finally {
      fs.closeSync(ro);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('processWriterLoop in a worker thread: a child process runs until the stop word, then is reaped', async () => {
    const t = startWriterThread(SLOTS, READY, { fd, pages: PAGES, idx: IDX, fn: 'processWriterLoop' });
    const i32 = t.i32;
    let children: number[];
    try {
      await t.ready();
      // The relay publishes every millisecond: wait for a few passes to show.
      while (Atomics.load(i32, IDX.stores) < 3 * PAGES && !t.exited()) await new Promise(setImmediate);
      t.rethrow();
      expect(t.exited()).toBe(false);
      children = childPids();
      expect(children.length).toBeGreaterThan(0);
      Atomics.store(i32, IDX.stop, IDX.stopValue);
      await t.done;
    } finally {
      await t.close();
    }
    t.rethrow();
    expect(t.result()?.total).toBe(Atomics.load(i32, IDX.stores));
    expect(Atomics.load(i32, IDX.faults)).toBe(Atomics.load(i32, IDX.stores));
    const partial = Atomics.load(i32, IDX.stores) - Atomics.load(i32, IDX.passes) * PAGES;
    expect(partial).toBeGreaterThanOrEqual(0);
    expect(partial).toBeLessThan(PAGES);
    // Reaped: no child left behind.
    for (const pid of children) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });
});

/** Child processes of this process (any of its threads may have forked them). */
function childPids(): number[] {
  const out: number[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      out.push(
        ...fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      // the thread exited meanwhile
    }
  }
  return out;
}
