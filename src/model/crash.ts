/**
 * A server crash and its recovery, on a quiescent model (no thread touches
 * the buffer): everything only in memory is lost, and what the journal
 * committed comes back. Used by the scenarios that take the server down.
 */
import type { ModelConfig } from './config.js';
import { JOURNALS } from './journals/index.js';
import {
  CPU_COUNTERS,
  C_IPI_PENDING,
  C_MAP_GEN,
  CTL_MG_FLOOR,
  I_CTIME,
  I_DIRTIED_WHEN,
  I_DIRTYTIME_WHEN,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_DISK_MTIME,
  I_FLAGS,
  I_IVERSION,
  I_MTIME,
  I_SEQ,
  IVERSION_INCREMENT,
  IVERSION_QUERIED,
  J_COMMIT,
  JC_REQUEST,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  cpuAt,
  inodeAt,
  pageAt,
  pteTableAt,
} from './layout.js';

/**
 * The server goes down and comes up. The page cache is gone: each page holds
 * what was last written back, clean, and no PTE maps it (every mapping is
 * gone with its process). Each inode is read back from its committed copy:
 * a change whose transaction had not committed is lost. i_version comes back
 * marked queried, as ext4_iget and XFS do (inode_set_iversion_queried):
 * nobody knows whether it was read before the crash, so the next change must
 * bump it. The running transaction, lazily kept timestamps, AS_CMTIME and
 * every other in-memory flag are gone, and so is the multigrain floor. The
 * clock goes on.
 */
export function crashAndRecover(sab: SharedArrayBuffer, cfg: ModelConfig): void {
  const i32 = new Int32Array(sab);
  const l = cfg.layout;
  for (let f = 0; f < l.files; f++) {
    for (let p = 0; p < l.pages; p++) {
      const pg = pageAt(l, f, p);
      Atomics.store(i32, pg + P_DATA, Atomics.load(i32, pg + P_WBDATA));
      Atomics.store(i32, pg + P_FLAGS, 0);
    }
  }
  for (let w = 0; w < l.writers; w++) i32.fill(0, pteTableAt(l, w), pteTableAt(l, w) + l.pages);
  for (let c = 0; c < l.cpus; c++) {
    const ctr = cpuAt(l, c) + CPU_COUNTERS;
    Atomics.store(i32, ctr + C_MAP_GEN, 0);
    Atomics.store(i32, ctr + C_IPI_PENDING, 0);
  }
  for (let ino = 0; ino < l.files; ino++) {
    const at = inodeAt(l, ino);
    Atomics.store(
      i32,
      at + I_IVERSION,
      Atomics.load(i32, at + I_DISK_IVERSION) * IVERSION_INCREMENT + IVERSION_QUERIED,
    );
    Atomics.store(i32, at + I_MTIME, Atomics.load(i32, at + I_DISK_MTIME));
    Atomics.store(i32, at + I_CTIME, Atomics.load(i32, at + I_DISK_CTIME));
    Atomics.store(i32, at + I_FLAGS, 0);
    Atomics.store(i32, at + I_SEQ, 0);
    Atomics.store(i32, at + I_DIRTIED_WHEN, 0);
    Atomics.store(i32, at + I_DIRTYTIME_WHEN, 0);
  }
  // Nothing asks for a commit; the journal's own state is what its replay leaves.
  Atomics.store(i32, l.journalBase + J_COMMIT + JC_REQUEST, 0);
  JOURNALS[cfg.journal].recover(i32, l);
  Atomics.store(i32, CTL_MG_FLOOR, 0);
}
