/**
 * Seqcount: readers of the timestamps and i_version retry when a writer ran
 * meanwhile; writers are serialised by the inode lock. The count is odd while
 * a writer changes the protected fields.
 */
import type { Memory } from '../memory.js';

/** Writers (serialised by a lock) make the count odd while they change the protected fields. */
export function writeSeqBegin(mem: Memory, i32: Int32Array, seq: number): void {
  mem.add(i32, seq, 1);
}

export function writeSeqEnd(mem: Memory, i32: Int32Array, seq: number): void {
  mem.add(i32, seq, 1);
}

/** Start a read: wait out an active writer; returns the even count to validate against. */
export function readSeqBegin(mem: Memory, i32: Int32Array, seq: number): number {
  let s = mem.load(i32, seq);
  while (s & 1) {
    mem.pause(4);
    s = mem.load(i32, seq);
  }
  return s;
}

/** True when a writer ran since readSeqBegin and the read must be retried. */
export function readSeqRetry(mem: Memory, i32: Int32Array, seq: number, start: number): boolean {
  return mem.load(i32, seq) !== start;
}
