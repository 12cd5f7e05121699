/**
 * The journals' registry entries agree with what each journal does: one
 * that declares a committer has something to commit after an inode update,
 * one that does not keeps nothing; each names a lock kind the model has and
 * a distinct line for --help.
 */
import { describe, expect, it } from 'vitest';

import { JOURNAL_NAMES, JOURNALS } from '../../src/model/journals/index.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { S_TIMES, S_VERSION } from '../../src/model/timeflags.js';
import { makeModel } from '../helpers/model.js';

describe('journal plugins', () => {
  it.each(JOURNAL_NAMES)('%s: commits an update exactly when it declares a committer', (name) => {
    const m = makeModel('eager', { journal: name });
    m.setTime(100_000);
    m.k.journal.update(0, S_TIMES | S_VERSION);
    expect(m.k.journal.commitRequested()).toBe(false);
    const items = m.k.journal.commit();
    // A committer writes the inode's block; a journal without one has nothing to write.
    expect(JOURNALS[name].committer ? items > 0 : items === 0).toBe(true);
    expect(m.count('commits')).toBe(JOURNALS[name].committer ? 1 : 0);
    // The change reached memory either way.
    expect(m.count('iversionBumps')).toBe(1);
    expect(JOURNALS[name].invariants(m.i32, m.cfg.layout.journalBase)).toEqual([]);
  });

  it('each names a lock kind of the model and its own line for --help', () => {
    for (const name of JOURNAL_NAMES) expect(LOCK_KINDS).toContain(JOURNALS[name].lock);
    const abouts = JOURNAL_NAMES.map((n) => JOURNALS[n].about);
    for (const about of abouts) expect(about.length).toBeGreaterThan(20);
    expect(new Set(abouts).size).toBe(abouts.length);
  });
});
