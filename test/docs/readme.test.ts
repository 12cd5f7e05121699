/**
 * The README's strategy, option and column lists are generated from the
 * code's tables (src/harness/reference/readme.ts) between marker comments:
 * the README on disk must be what `npm run docs` would write, each list must
 * name every entry of its table, and a list edited by hand or a marker
 * removed must be caught.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { README_BLOCKS, readmePage } from '../../src/harness/reference/readme.js';
import { optionSections, label } from '../../src/harness/reference/options.js';
import { COLUMN_NAMES } from '../../src/rows/rows.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The README's lines between one block's markers. */
function block(name: string): string {
  const start = readme.indexOf(`<!-- generated:${name} -->`);
  const end = readme.indexOf(`<!-- /generated:${name} -->`);
  expect(start, `README.md has no ${name} block`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return readme.slice(start, end);
}

describe("README.md's generated lists", () => {
  it("README.md's generated blocks are what the code's tables give (run npm run docs after changing a table)", () => {
    expect(readme).toBe(readmePage(readme));
  });

  it('has one block per generated list', () => {
    expect(Object.keys(README_BLOCKS).sort()).toEqual(['columns', 'options', 'strategies']);
    for (const name of Object.keys(README_BLOCKS)) block(name);
  });

  it('the strategies list has one line per strategy, in the table order', () => {
    const names = [...block('strategies').matchAll(/^- `([a-z-]+)`:/gm)].map((m) => m[1]);
    expect(names).toEqual([...STRATEGY_NAMES]);
  });

  it("the options list names every option --help lists, under --help's sections", () => {
    const text = block('options');
    for (const [section, options] of optionSections()) {
      const line = text.split('\n').find((l) => l.startsWith(`- **${section}**:`));
      expect(line, section).toBeDefined();
      for (const o of options) expect(line, label(o)).toContain(`\`${label(o)}\``);
    }
  });

  it('the columns list names every CSV column once', () => {
    const names = [...block('columns').matchAll(/`([a-z0-9_]+)`/g)]
      .map((m) => m[1])
      .filter((n) => !['key', 'context', 'measurement'].includes(n!));
    expect([...names].sort()).toEqual([...COLUMN_NAMES].sort());
  });

  it('a list edited by hand differs from what the tables give', () => {
    const edited = readme.replace(/^- `eager`:.*$/m, '- `eager`: a line typed by hand.');
    expect(edited).not.toBe(readme);
    expect(readmePage(edited)).toBe(readme);
  });

  it('a README without one of the markers is an error naming the block', () => {
    const dropped = readme.replace('<!-- /generated:options -->', '');
    expect(() => readmePage(dropped)).toThrow(/generated:options/);
  });
});
