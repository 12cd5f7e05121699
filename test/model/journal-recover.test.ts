/**
 * What each journal's crash recovery (its plugin's `recover`, which crash.ts
 * calls on a quiescent model) resets: exactly the words its replay defines,
 * each to the value replay leaves, and no other word of the shared state.
 */
import { describe, expect, it } from 'vitest';

import { JOURNALS } from '../../src/model/journals/index.js';
import {
  B_TID,
  BUFFER_SLOTS,
  CPU_CIL,
  cpuAt,
  I_CIL_CTX,
  inodeAt,
  J_COMMIT,
  JC_COMMITTED,
  makeLayout,
  PCIL_COUNT,
  PCIL_SPACE,
} from '../../src/model/layout.js';
import {
  J_TXN,
  T_CREDITS,
  T_NBUF,
  T_STATE,
  T_TID,
  T_UPDATES,
  TXN_LOCKED,
  TXN_RUNNING,
} from '../../src/model/journals/jbd2.js';
import {
  CIL_COUNT,
  CIL_SEQ,
  CIL_SPACE,
  G_HEAD,
  J_ACTIVE_TRANS,
  J_CIL,
  J_GRANT,
  J_WGRANT,
} from '../../src/model/journals/xfs-cil.js';

const layout = makeLayout({ cpus: 3, writers: 2, files: 40, pages: 4 });
const j = layout.journalBase;

/** Every word a distinct value above any the model writes, so each store recover makes, and any stray one, shows. */
function filled(): Int32Array {
  const i32 = new Int32Array(layout.slots);
  for (let i = 0; i < i32.length; i++) i32[i] = 100_000 + i;
  i32[j + J_TXN + T_STATE] = TXN_LOCKED;
  return i32;
}

/** Recovers a filled state and returns the words that changed, index → new value. */
function recovered(name: keyof typeof JOURNALS): { before: Int32Array; changed: Map<number, number> } {
  const before = filled();
  const after = before.slice();
  JOURNALS[name].recover(after, layout);
  const changed = new Map<number, number>();
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed.set(i, after[i]!);
  return { before, changed };
}

describe('crash recovery of each journal', () => {
  it('jbd2: no buffer filed in a transaction, and the running transaction is the one after the last commit, empty', () => {
    const { before, changed } = recovered('jbd2');
    const want = new Map<number, number>();
    expect(layout.buffers).toBeGreaterThan(1);
    for (let b = 0; b < layout.buffers; b++) want.set(layout.bufferBase + b * BUFFER_SLOTS + B_TID, 0);
    want.set(j + J_TXN + T_STATE, TXN_RUNNING);
    want.set(j + J_TXN + T_TID, before[j + J_COMMIT + JC_COMMITTED]! + 1);
    for (const slot of [T_UPDATES, T_CREDITS, T_NBUF]) want.set(j + J_TXN + slot, 0);
    expect(changed).toEqual(want);
  });

  it('xfs-cil: every per-CPU and global CIL empty, no inode in a context, no reservation, and a new context', () => {
    const { before, changed } = recovered('xfs-cil');
    const want = new Map<number, number>();
    for (let c = 0; c < layout.cpus; c++) {
      want.set(cpuAt(layout, c) + CPU_CIL + PCIL_COUNT, 0);
      want.set(cpuAt(layout, c) + CPU_CIL + PCIL_SPACE, 0);
    }
    for (let ino = 0; ino < layout.files; ino++) want.set(inodeAt(layout, ino) + I_CIL_CTX, 0);
    for (const slot of [J_GRANT + G_HEAD, J_WGRANT + G_HEAD, J_ACTIVE_TRANS, J_CIL + CIL_COUNT, J_CIL + CIL_SPACE])
      want.set(j + slot, 0);
    want.set(j + J_CIL + CIL_SEQ, before[j + J_CIL + CIL_SEQ]! + 1);
    expect(changed).toEqual(want);
  });

  it('the per-CPU CIL recovers as the global one does', () => {
    expect(recovered('xfs-cil-percpu').changed).toEqual(recovered('xfs-cil').changed);
  });

  it('none: nothing to replay, nothing changes', () => {
    expect(recovered('none').changed.size).toBe(0);
  });
});
