/**
 * What the addon's bookkeeping costs: writerLoop (page_fault3's loop plus
 * publishing counters into a SharedArrayBuffer and checking the stop word every
 * 64 stores) against plainLoop (the bare loop, nothing else), in one thread,
 * over the same unlinked file and the same pages.
 *
 * Each round runs plainLoop for k passes and writerLoop for exactly k passes
 * too (its optional idx.maxPasses bound, so both make exactly k*pages stores
 * and no second thread is involved), in alternating order (ABBA) so a drift
 * in machine speed does not favour either. Both are timed the same way, with
 * process.hrtime around the call (wall time, the headline number); process CPU
 * time (user+sys, in this single-threaded process essentially this thread's) is
 * reported too, as it is less disturbed by other load on the machine. One warm-up pass first populates the file's
 * page cache, so no round pays for allocating it.
 *
 *   node dist/bench/native-overhead.js [--pages N] [--passes K] [--rounds R] [--dir PATH]
 *
 * Defaults: 32768 pages (128 MiB) in os.tmpdir(), k = 4 passes, 7 rounds.
 * Prints one line per round, then the medians and
 * `addon overhead vs plain C loop = X.X%` (target <= 5%).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { fsInfo, kernelVersion } from '../src/targets/kernel/fsinfo.js';
import { loadNative, type WriterIndexes } from '../src/targets/kernel/native.js';

const PAGE = 4096;
const TARGET_PCT = 5;

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string' },
      passes: { type: 'string' },
      rounds: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const pages = positiveInt('pages', values.pages, 32768);
  const passes = positiveInt('passes', values.passes, 4);
  const rounds = positiveInt('rounds', values.rounds, 7);
  const dir = values.dir ?? os.tmpdir();

  const native = loadNative();
  if (!native.ok) {
    console.error(`native-overhead: native addon unavailable: ${native.reason}`);
    return 1;
  }
  const addon = native.addon;
  const fs = fsInfo(dir);
  console.log(
    `native-overhead: ${pages} pages (${((pages * PAGE) / 2 ** 20).toFixed(1)} MiB) x ${passes} passes per run, ${rounds} rounds, ` +
      `${dir} on ${fs.fsType} (${fs.mountOptions}), kernel ${kernelVersion()}`,
  );

  const fd = addon.openUnlinked(dir, pages * PAGE);
  try {
    addon.plainLoop(fd, pages, 1); // warm-up: populate the page cache, fault in the code paths

    const i32 = new Int32Array(new SharedArrayBuffer(8 * 4));
    const idx: WriterIndexes = { stop: 0, stopValue: 1, faults: 1, stores: 2, passes: 3, minflt: 4, maxPasses: passes };
    const stores = pages * passes;

    type Run = { ns: number; cpuNs: number; faults: number };
    const cpuNs = (u: NodeJS.CpuUsage): number => (u.user + u.system) * 1000;
    const timePlain = (): Run => {
      const m0 = addon.minorFaults();
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      addon.plainLoop(fd, pages, passes);
      const ns = Number(process.hrtime.bigint() - t0);
      const cpu = cpuNs(process.cpuUsage(c0));
      return { ns, cpuNs: cpu, faults: addon.minorFaults() - m0 };
    };
    const timeWriter = (): Run => {
      i32.fill(0);
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const n = addon.writerLoop(i32, fd, pages, idx);
      const ns = Number(process.hrtime.bigint() - t0);
      const cpu = cpuNs(process.cpuUsage(c0));
      if (n !== stores || Atomics.load(i32, idx.stores) !== stores || Atomics.load(i32, idx.passes) !== passes) {
        throw new Error(
          `writerLoop made ${n} stores / ${Atomics.load(i32, idx.passes)} passes, expected ${stores} / ${passes}`,
        );
      }
      return { ns, cpuNs: cpu, faults: Atomics.load(i32, idx.minflt) };
    };

    const plainPer: number[] = [];
    const writerPer: number[] = [];
    const ratios: number[] = [];
    const plainCpu: number[] = [];
    const writerCpu: number[] = [];
    let faultsPerStore = 0;
    for (let r = 0; r < rounds; r++) {
      // ABBA: even rounds plain first, odd rounds writer first.
      let plain: Run;
      let writer: Run;
      if (r % 2 === 0) {
        plain = timePlain();
        writer = timeWriter();
      } else {
        writer = timeWriter();
        plain = timePlain();
      }
      const p = plain.ns / stores;
      const w = writer.ns / stores;
      plainPer.push(p);
      writerPer.push(w);
      ratios.push(w / p);
      plainCpu.push(plain.cpuNs / stores);
      writerCpu.push(writer.cpuNs / stores);
      faultsPerStore = writer.faults / stores;
      console.log(
        `round ${r + 1}/${rounds}: plain ${p.toFixed(1)} ns/store, writerLoop ${w.toFixed(1)} ns/store ` +
          `(${((w / p - 1) * 100).toFixed(1)}%); cpu ${(plain.cpuNs / stores).toFixed(1)} vs ${(writer.cpuNs / stores).toFixed(1)} ns/store; faults/store plain ${(plain.faults / stores).toFixed(3)} writer ${(writer.faults / stores).toFixed(3)}`,
      );
    }
    const mp = median(plainPer);
    const mw = median(writerPer);
    const overhead = (mw / mp - 1) * 100;
    console.log(`median: plain C loop ${mp.toFixed(1)} ns/store, writerLoop ${mw.toFixed(1)} ns/store`);
    console.log(`median of per-round ratios: ${((median(ratios) - 1) * 100).toFixed(1)}%`);
    const mpc = median(plainCpu);
    const mwc = median(writerCpu);
    console.log(
      `cpu time (process user+sys, robust to other load on the machine): plain ${mpc.toFixed(1)}, writerLoop ${mwc.toFixed(1)} ns/store, ` +
        `overhead ${((mwc / mpc - 1) * 100).toFixed(1)}%`,
    );
    if (faultsPerStore < 0.95) {
      console.log(
        `note: ${faultsPerStore.toFixed(3)} minor faults per store on ${fs.fsType}: the kernel maps several pages per fault here ` +
          `(large folios / huge pages), so a store is not always a fault; a plain tmpfs directory (e.g. --dir /dev/shm) gives one per store`,
      );
    }
    console.log(
      `addon overhead vs plain C loop = ${overhead.toFixed(1)}% (target <= ${TARGET_PCT}%: ${overhead <= TARGET_PCT ? 'ok' : 'OVER'})`,
    );
  } finally {
    addon.close(fd);
  }
  return 0;
}

process.exitCode = main();
