/**
 * XFS's 3.11 transaction accounting: every transaction reserves on both grant
 * heads and m_active_trans counts it while it runs; after the final push
 * both heads and the counter are back at 0, and the after-run check names
 * each one that is not.
 */
import { describe, expect, it } from 'vitest';

import { G_HEAD, J_ACTIVE_TRANS, J_GRANT, J_WGRANT } from '../../src/model/journals/xfs-cil.js';
import { checkInvariants, finalSync } from '../../src/model/state.js';
import { makeModel } from '../helpers/model.js';

describe('xfs-cil transactions (v3.11 xfs_log_reserve, xfs_log_done, xfs_trans_alloc/free)', () => {
  it('hold their reservation on both grant heads until the push, and leave m_active_trans at 0', () => {
    const m = makeModel('eager-iversion', { journal: 'xfs-cil' });
    const j = m.cfg.layout.journalBase;
    m.k.store(0, 0, 1);
    const reserve = Atomics.load(m.i32, j + J_GRANT + G_HEAD);
    expect(reserve).toBeGreaterThan(0);
    expect(Atomics.load(m.i32, j + J_WGRANT + G_HEAD)).toBe(reserve);
    expect(Atomics.load(m.i32, j + J_ACTIVE_TRANS)).toBe(0);
    finalSync(m.sab, m.cfg, () => 0);
    expect(Atomics.load(m.i32, j + J_WGRANT + G_HEAD)).toBe(0);
    expect(checkInvariants(m.sab, m.cfg)).toEqual([]);
  });

  it('the after-run check names a write head or a transaction count left behind, and only that', () => {
    const m = makeModel('eager-iversion', { journal: 'xfs-cil' });
    const j = m.cfg.layout.journalBase;
    m.k.store(0, 0, 1);
    finalSync(m.sab, m.cfg, () => 0);
    Atomics.store(m.i32, j + J_WGRANT + G_HEAD, 176);
    expect(checkInvariants(m.sab, m.cfg)).toEqual(['write grant head holds 176 bytes after the final push']);
    Atomics.store(m.i32, j + J_WGRANT + G_HEAD, 0);
    Atomics.store(m.i32, j + J_ACTIVE_TRANS, 1);
    expect(checkInvariants(m.sab, m.cfg)).toEqual(['m_active_trans is 1 after every transaction ended']);
  });
});
