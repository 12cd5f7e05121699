/** The require-or-skip helper: a skip with its reason outside CI, one line that fails the run under CI. */
import { describe, expect, it } from 'vitest';
import { MissingInCi, inCi, need, needAll } from './need.js';
import { thrownBy } from './thrown.js';

describe('need', () => {
  it('reads CI as set unless empty, 0 or false', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((v) => inCi({ CI: v }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['true', '1', 'yes'].map((v) => inCi({ CI: v }))).toEqual([true, true, true]);
  });

  it('a met need runs the test under its own name, in CI or not', () => {
    for (const env of [{}, { CI: 'true' }]) {
      const n = need('Chromium', null, env);
      expect(n.skip).toBe(false);
      expect(n.label('renders')).toBe('renders');
    }
  });

  it('outside CI a missing need skips, and the name says what and why', () => {
    const n = need('Chromium', 'not on PATH', {});
    expect(n.skip).toBe(true);
    expect(n.label('renders')).toBe('renders (skipped: Chromium unavailable: not on PATH)');
  });

  it('under CI a missing need throws one line naming it, with no stack frames', () => {
    const caught = thrownBy(() => need('Chromium', 'not on PATH', { CI: 'true' }));
    expect(caught).toBeInstanceOf(MissingInCi);
    const e = caught as Error;
    expect(e.message).toBe('CI needs Chromium, which is missing: not on PATH');
    expect(e.stack).toBe(`MissingInCi: ${e.message}`);
    expect(e.stack).not.toContain('\n');
  });

  it('needAll names the first missing need, and is met only when all are', () => {
    expect(
      needAll(
        [
          ['a', null],
          ['b', null],
        ],
        {},
      ).skip,
    ).toBe(false);
    const n = needAll(
      [
        ['a', null],
        ['b', 'gone'],
        ['c', 'also gone'],
      ],
      {},
    );
    expect(n.label('t')).toBe('t (skipped: b unavailable: gone)');
    expect(() =>
      needAll(
        [
          ['a', null],
          ['b', 'gone'],
        ],
        { CI: '1' },
      ),
    ).toThrow('CI needs b, which is missing: gone');
  });
});
