/**
 * The journal block (layout.ts) is J_LINES lines. The hot lock's line and the
 * commit line are every journal's; each journal names its other lines as J_*
 * constants in its own module. Only one journal runs at a time, so two
 * journals may use the same line, but each one's lines must be whole lines of
 * the block and clear of the shared two, or its state would overwrite the
 * commit sequence or the lock (or lie past the block, in the first inode).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { J_COMMIT, J_HOT, J_LINES, LINE } from '../../src/model/layout.js';

const DIR = path.resolve(__dirname, '../../src/model/journals');

/**
 * Every module's J_* exports, name → offset from journalBase. Imported while the
 * file loads, not inside a test: module-level code then stays outside every
 * test's coverage, as it is for the other test files (Stryker's ignoreStatic).
 */
const LINES: [string, [string, unknown][]][] = await Promise.all(
  fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.ts'))
    .map(async (file) => {
      const mod = (await import(path.join(DIR, file))) as Record<string, unknown>;
      return [file, Object.entries(mod).filter(([name]) => /^J_/.test(name))] as [string, [string, unknown][]];
    }),
);
const linesOf = (file: string): [string, unknown][] => LINES.find(([f]) => f === file)![1];

describe('the journal block', () => {
  it('holds the journals jbd2 and the CIL name', () => {
    expect(linesOf('jbd2.ts').map(([n]) => n)).toEqual(expect.arrayContaining(['J_LIST', 'J_TXN']));
    expect(linesOf('xfs-cil.ts').length).toBe(5);
  });

  it.each(LINES.map(([file]) => file))(
    '%s: its lines are whole lines inside the block, clear of the shared ones and of each other',
    (file) => {
      const lines = linesOf(file);
      const shared = new Set([J_HOT, J_COMMIT]);
      for (const [name, at] of lines) {
        expect(Number.isInteger(at), name).toBe(true);
        const offset = at as number;
        expect(offset % LINE, `${name} starts a line`).toBe(0);
        expect(offset, `${name} is inside the block`).toBeGreaterThanOrEqual(0);
        expect(offset, `${name} is inside the block`).toBeLessThan(J_LINES * LINE);
        expect(shared.has(offset), `${name} is not the hot lock's or the commit line`).toBe(false);
      }
      const offsets = lines.map(([, at]) => at);
      expect(new Set(offsets).size).toBe(offsets.length);
    },
  );
});
