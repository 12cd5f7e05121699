/**
 * The fault-path measurement: page_fault3's loop (plainLoop) on ramfs (the
 * generic filemap_page_mkwrite), ext4 and XFS, in rounds (fault-path-cost.ts
 * turns the rounds into each path's extra).
 *
 * Per page, not per fault: this kernel maps a whole large folio per write
 * fault where a file has them, and ext4 and XFS give a file faulted in from
 * nothing large folios. So each measured file is first filled by 4 KiB
 * pwrite()s: the buffered write path sizes a new folio by the write (one page
 * here), and a cached folio is never replaced by a larger one, so every later
 * fault maps one page, as in 3.11. Two more cases are read for the record and
 * the check: each filesystem's file filled by faults alone (large folios:
 * faults per store well below 1), and ext4 made with `-O verity`, on which
 * ext4 makes no large folios at all (a second way to one page per fault).
 *
 * Time is the process's CPU time (cpuNs in fault-cost.ts says why).
 */
import fs from 'node:fs';

import type { NativeAddon } from '../../targets/kernel/native.js';
import type { PathRound, PathSample } from './fault-path-cost.js';
import { PAGE_BYTES, cpuNs } from './fault-cost.js';

/** A file to time: the filesystem it lives on, and whether it is filled by 4 KiB writes first. */
export interface PathCase {
  readonly key: string;
  readonly dir: string;
  readonly fill: 'writes' | 'faults';
}

export const FAULT_PATH_MEASURE = {
  /** Pages per pass: 16 MiB (quick: 8 MiB), far more than a pass's mmap+munmap costs per page. */
  pages: { full: 4096, quick: 2048 },
  rounds: { full: 40, quick: 4 },
} as const;

function timePass(addon: NativeAddon, fd: number, pages: number): PathSample {
  const f0 = addon.minorFaults();
  const t0 = cpuNs();
  addon.plainLoop(fd, pages, 1);
  const ns = cpuNs() - t0;
  return { ns, faults: addon.minorFaults() - f0, stores: pages };
}

/** Opens (unlinked) and fills one case's file; the first pass populates whatever the fill left out. */
function openCase(addon: NativeAddon, c: PathCase, pages: number): number {
  const fd = addon.openUnlinked(c.dir, pages * PAGE_BYTES);
  try {
    if (c.fill === 'writes') {
      const page = Buffer.alloc(PAGE_BYTES, 1);
      for (let p = 0; p < pages; p++) fs.writeSync(fd, page, 0, PAGE_BYTES, p * PAGE_BYTES);
    }
    addon.plainLoop(fd, pages, 2);
    return fd;
  } catch (e) {
    addon.close(fd);
    throw e;
  }
}

/**
 * Times every case once per round, the order rotating from round to round so
 * that no case always follows the same one. Each round gives every case a new
 * file: where a file's pages lie in memory (and in this virtual machine's
 * host memory) changes a pass's time by several percent, the same for the
 * whole life of the file, so a file kept for every round would put that
 * placement into the result instead of averaging it out. Returns the rounds,
 * each keyed by case. `cases` must include `generic`.
 */
export function measureFaultPaths(
  addon: NativeAddon,
  cases: readonly PathCase[],
  opts: { quick: boolean },
): PathRound[] {
  if (!cases.some((c) => c.key === 'generic')) throw new Error('the fault-path measurement needs a generic case');
  const pages = opts.quick ? FAULT_PATH_MEASURE.pages.quick : FAULT_PATH_MEASURE.pages.full;
  const rounds = opts.quick ? FAULT_PATH_MEASURE.rounds.quick : FAULT_PATH_MEASURE.rounds.full;
  const out: PathRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const round: Record<string, PathSample> = {};
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      const fd = openCase(addon, c, pages);
      try {
        round[c.key] = timePass(addon, fd, pages);
      } finally {
        addon.close(fd);
      }
    }
    out.push(round as PathRound);
  }
  return out;
}
