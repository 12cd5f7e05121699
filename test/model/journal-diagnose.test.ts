/**
 * The watchdog's line about a journal's state when a run hangs: each journal
 * names the state a hang would be stuck on, with the values shared memory
 * holds, here set up by real updates, commits and a handle left open.
 */
import { describe, expect, it } from 'vitest';

import { JOURNALS } from '../../src/model/journals/index.js';
import { Jbd2 } from '../../src/model/journals/jbd2.js';
import { XFS_ITEM_BYTES } from '../../src/model/journals/xfs-cil.js';
import { J_TXN, T_STATE, TXN_LOCKED } from '../../src/model/journals/jbd2.js';
import { S_TIMES } from '../../src/model/timeflags.js';
import { makeModel } from '../helpers/model.js';

describe('journal diagnose', () => {
  it('jbd2: the running transaction, its state, handles, credits and blocks, and the committed sequence', () => {
    const m = makeModel('eager', { journal: 'jbd2', writers: 2 });
    const j = m.cfg.layout.journalBase;
    m.k.journal.update(0, S_TIMES);
    m.k.journal.commit();
    m.k.journal.update(1, S_TIMES);
    // A second handle has started and not stopped: it holds its credits and counts in t_updates.
    expect(m.k.journal).toBeInstanceOf(Jbd2);
    (m.k.journal as Jbd2)['startHandle']();
    expect(JOURNALS.jbd2.diagnose(m.i32, j)).toBe(
      'transaction 2 running, t_updates 1, credits 9, buffers 1, committed 1',
    );
    Atomics.store(m.i32, j + J_TXN + T_STATE, TXN_LOCKED);
    expect(JOURNALS.jbd2.diagnose(m.i32, j)).toBe(
      'transaction 2 LOCKED (commit waiting), t_updates 1, credits 9, buffers 1, committed 1',
    );
  });

  it.each(['xfs-cil', 'xfs-cil-percpu'] as const)(
    '%s: the CIL context, the global list, both grant heads, the running transactions and the committed sequence',
    (journal) => {
      const m = makeModel('eager', { journal, writers: 3 });
      m.k.journal.update(0, S_TIMES);
      m.k.journal.commit();
      m.k.journal.update(1, S_TIMES);
      m.k.journal.update(2, S_TIMES);
      const held = 2 * XFS_ITEM_BYTES;
      // Only the global CIL's count is shown: the per-CPU lists keep theirs on each CPU's line.
      const items = journal === 'xfs-cil' ? 2 : 0;
      expect(JOURNALS[journal].diagnose(m.i32, m.cfg.layout.journalBase)).toBe(
        `CIL sequence 2, CIL items ${items}, grant head ${held}, write grant head ${held}, m_active_trans 0, committed 1`,
      );
    },
  );

  it('none: says that there is no journal state to show', () => {
    const m = makeModel('eager', { journal: 'none' });
    expect(JOURNALS.none.diagnose(m.i32, m.cfg.layout.journalBase)).toMatch(/^no journal/);
  });
});
