/**
 * Staleness accounting: how long a store stays invisible to a client that
 * trusts the change attribute. The client caches the attributes it last saw
 * (at mount: the file as created); a store is noticed by the first poll,
 * after the store, whose attributes differ from the cached ones. Each store
 * the tracker is given is charged the time from the store to that poll; a
 * store no poll noticed by the end is unnoticed.
 */
import type { SameAttr } from './client.js';
import type { Attr } from './attr.js';

export interface Noticed {
  /** When the store happened (model µs). */
  readonly storeUs: number;
  /** From the store to the poll that noticed it (model µs). */
  readonly lagUs: number;
}

export const sameAttr = (a: Attr, b: Attr): boolean =>
  a.iversion === b.iversion && a.mtime === b.mtime && a.ctime === b.ctime;

export class StalenessTracker {
  private readonly cached: Attr[];
  private readonly pending: number[][];
  private readonly same: SameAttr;
  readonly noticed: Noticed[] = [];

  /** `same`: the client's comparison (client.ts); by default every attribute. */
  constructor(files: number, same: SameAttr = sameAttr) {
    this.cached = Array.from({ length: files }, () => ({ iversion: 0, mtime: 0, ctime: 0 }));
    this.pending = Array.from({ length: files }, () => []);
    this.same = same;
  }

  /** A store to `file` at `storeUs`; it counts for the first poll that starts after it. */
  stored(file: number, storeUs: number): void {
    this.pending[file]!.push(storeUs);
  }

  /**
   * A poll of `file` that started at `pollUs` saw `attr`. Returns true when the
   * client sees a change, and so revalidates: every pending store made before
   * the poll started is noticed; stores made later wait for the next change.
   */
  poll(file: number, pollUs: number, attr: Attr): boolean {
    const cached = this.cached[file]!;
    if (this.same(cached, attr)) return false;
    this.cached[file] = { ...attr };
    const pending = this.pending[file]!;
    const later: number[] = [];
    for (const storeUs of pending) {
      if (storeUs <= pollUs) this.noticed.push({ storeUs, lagUs: pollUs - storeUs });
      else later.push(storeUs);
    }
    this.pending[file] = later;
    return true;
  }

  /** Stores never noticed so far, oldest first, over all files. */
  unnoticed(): number[] {
    return this.pending.flat().sort((a, b) => a - b);
  }
}

export interface StalenessWindow {
  /** Lags (model µs) of sampled stores made inside the window and noticed by the end of the run. */
  readonly lagsUs: number[];
  /** Sampled stores made inside the window that no poll noticed by the end of the run. */
  readonly unnoticed: number;
  /** Sampled stores made inside the window. */
  readonly samples: number;
}

/** Keep the stores made inside the measured window [fromUs, toUs). */
export function windowed(
  noticed: readonly Noticed[],
  unnoticed: readonly number[],
  fromUs: number,
  toUs: number,
): StalenessWindow {
  const inside = (t: number): boolean => t >= fromUs && t < toUs;
  const lagsUs = noticed.filter((n) => inside(n.storeUs)).map((n) => n.lagUs);
  const missed = unnoticed.filter(inside).length;
  return { lagsUs, unnoticed: missed, samples: lagsUs.length + missed };
}
