/**
 * The kernel target's observer: an NFS client revalidating by fstat of every
 * file of the run every --observer-interval ms (real time), charging each
 * sampled store (written into the writers' rings by the addon, as the
 * model's writers do) the time until a poll saw mtime, ctime or size change.
 * The accounting is the model observer's (StalenessTracker); only getattr is
 * the real kernel's.
 */
import { mappersOfFile } from '../../model/config.js';
import type { Attr, Kernel } from '../../model/kernel.js';
import { CPU_COUNTERS, C_SAMPLE_HEAD, SAMPLE_RING, cpuAt, sampleRingAt, sampleTailAt } from '../../model/layout.js';
import { StalenessTracker } from '../../model/staleness.js';
import type { StalenessReport } from '../../model/steps.js';
import type { FileStat, NativeAddon } from './native.js';

export class KernelObserver {
  private readonly k: Kernel;
  private readonly addon: NativeAddon;
  private readonly fds: readonly number[];
  private readonly tracker: StalenessTracker;
  private readonly mappers: number[][];
  private readonly tails: number[];
  /** Per file, the seconds all its times are counted from, so that seconds and nanoseconds fit one exact double. */
  private readonly baseSec: number[];
  private readonly attr: Attr = { iversion: 0, mtime: 0, ctime: 0 };

  constructor(k: Kernel, addon: NativeAddon, fds: readonly number[]) {
    this.k = k;
    this.addon = addon;
    this.fds = fds;
    this.tracker = new StalenessTracker(fds.length);
    this.mappers = fds.map((_, f) => mappersOfFile(k.cfg, f));
    this.tails = new Array<number>(k.cfg.writers).fill(0);
    const first = fds.map((fd) => addon.fstat(fd));
    this.baseSec = first.map((st) => st.mtimeSec);
    // The client's cache starts as the files are now: a first poll with no store pending before it. (Stores made
    // since the barrier and already visible here are charged to a later change; they fall in the warm-up.)
    first.forEach((st, f) => this.tracker.poll(f, k.fineNow(), this.toAttr(f, st)));
  }

  /**
   * What the client compares, as an Attr: the size where the model has
   * i_version, and each time in ns since the file's base second (exact in a
   * double for over a hundred days, so two times a nanosecond apart differ).
   */
  private toAttr(f: number, st: FileStat): Attr {
    const base = this.baseSec[f]!;
    this.attr.iversion = st.size;
    this.attr.mtime = (st.mtimeSec - base) * 1e9 + st.mtimeNsec;
    this.attr.ctime = (st.ctimeSec - base) * 1e9 + st.ctimeNsec;
    return this.attr;
  }

  round(): void {
    const k = this.k;
    const i32 = k.i32;
    const l = k.layout;
    for (let f = 0; f < this.fds.length; f++) {
      // A store stamped before this instant happened before fstat read the attributes.
      const pollUs = k.fineNow();
      const st = this.addon.fstat(this.fds[f]!);
      // Drain the rings after the fstat, as the model's observer does: a sample published late but stamped
      // before pollUs still counts for this poll (StalenessTracker.poll).
      for (const w of this.mappers[f]!) {
        // The addon publishes the head after the sample's slot is filled (release; Atomics.load is seq_cst).
        const head = Atomics.load(i32, cpuAt(l, w) + CPU_COUNTERS + C_SAMPLE_HEAD);
        const ring = sampleRingAt(l, w);
        for (let s = this.tails[w]!; s < head; s++) this.tracker.stored(f, i32[ring + (s % SAMPLE_RING)]!);
        this.tails[w] = head;
        // Hand the slots back to the writer (the addon reads the tail with acquire before reusing a slot).
        Atomics.store(i32, sampleTailAt(l, w), head);
      }
      this.tracker.poll(f, pollUs, this.toAttr(f, st));
    }
  }

  report(): StalenessReport {
    const t = this.tracker;
    return { noticed: t.noticed.flatMap((n) => [n.storeUs, n.lagUs]), unnoticed: t.unnoticed() };
  }
}
