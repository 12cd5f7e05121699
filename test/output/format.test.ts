/** The one rate formatter and the one text-table renderer every terminal table uses. */
import { describe, expect, it } from 'vitest';

import { fmtRate, fmtSi } from '../../src/output/format.js';
import { textTable } from '../../src/output/text-table.js';

describe('fmtRate', () => {
  it('uses k, M and G, rounding to 4 significant digits before choosing the suffix', () => {
    expect(fmtRate(950)).toBe('950');
    expect(fmtRate(12_345)).toBe('12.3k');
    expect(fmtRate(999_999.99)).toBe('1.00M');
    expect(fmtRate(2_190_000)).toBe('2.19M');
    expect(fmtRate(3.5e9)).toBe('3.50G');
    expect(fmtRate(Number.NaN)).toBe('-');
  });
  it('fmtSi keeps 3 significant digits and drops trailing zeros', () => {
    expect(fmtSi(2_194_000)).toBe('2.19M');
    expect(fmtSi(1500)).toBe('1.5k');
    expect(fmtSi(12)).toBe('12');
  });
});

describe('textTable', () => {
  it('pads each column to its widest cell on the side asked, with a dash rule and no trailing blanks', () => {
    const lines = textTable(
      ['name', 'n', 'note'],
      [
        ['a', '1', ''],
        ['longer', '100', 'x'],
      ],
      (i) => (i === 1 ? 'right' : 'left'),
    );
    expect(lines).toEqual(['name      n  note', '------  ---  ----', 'a         1', 'longer  100  x']);
  });
  it('by default aligns the first column left and the rest right, and tolerates short rows', () => {
    expect(textTable(['k', 'v'], [['a'], ['bb', '22']])).toEqual(['k    v', '--  --', 'a', 'bb  22']);
  });
});
