/**
 * How two files' contexts are compared: per compared column, the set of
 * values each file holds (first-seen order, a missing number as ''), equal
 * when the sets are equal in any order; a file records a context when any
 * compared column holds a value.
 */
import { describe, expect, it } from 'vitest';

import { COMPARED_CONTEXT, contextDifferences, recordsContext } from '../../src/analysis/context-diff.js';
import type { Row } from '../../src/rows/rows.js';
import { makeRow } from '../helpers/rows.js';

const ctx = (fields: Partial<Row>): Row => makeRow(fields);

describe('contextDifferences', () => {
  it('compares the sets of values, in any order', () => {
    const base = [ctx({ host: 'a' } as Partial<Row>), ctx({ host: 'b' } as Partial<Row>)];
    const next = [ctx({ host: 'b' } as Partial<Row>), ctx({ host: 'a' } as Partial<Row>)];
    expect(contextDifferences(base, next)).toEqual([]);
  });

  it('names a column whose values differ, a value more on one side included', () => {
    const base = [ctx({ host: 'a', cores: 8 } as Partial<Row>)];
    const next = [ctx({ host: 'a', cores: 8 } as Partial<Row>), ctx({ host: 'b', cores: NaN } as Partial<Row>)];
    expect(contextDifferences(base, next)).toEqual([
      { column: 'cores', base: ['8'], next: ['8', ''] },
      { column: 'host', base: ['a'], next: ['a', 'b'] },
    ]);
    // As many values on each side, but not the same ones.
    const other = [ctx({ host: 'a' } as Partial<Row>), ctx({ host: 'c' } as Partial<Row>)];
    expect(contextDifferences(next, other).map((d) => d.column)).toContain('host');
    // The same the other way round: a subset is not the same set either.
    expect(contextDifferences(next, base).map((d) => d.column)).toEqual(['cores', 'host']);
  });
});

describe('recordsContext', () => {
  it('is true when any row holds any compared context value', () => {
    expect(COMPARED_CONTEXT).toContain('host');
    expect(recordsContext([ctx({}), ctx({})])).toBe(false);
    expect(recordsContext([ctx({}), ctx({ host: 'h' } as Partial<Row>)])).toBe(true);
    expect(recordsContext([ctx({ cores: 0 } as Partial<Row>)])).toBe(true);
    expect(recordsContext([])).toBe(false);
  });
});
