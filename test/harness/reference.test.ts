/**
 * docs/reference/ is generated from the code's tables: each page on disk must
 * be exactly what its table gives now, so a column, option, strategy or preset
 * added without `npm run docs` fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { REFERENCE_PAGES } from '../../src/harness/reference/index.js';
import { COLUMN_NAMES } from '../../src/rows/rows.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { FS_PRESET_NAMES } from '../../src/model/fs-presets.js';

const root = path.resolve(import.meta.dirname, '../..');
const page = (file: string): string => REFERENCE_PAGES.find((p) => p.file === file)!.render('');

describe('docs/reference', () => {
  for (const { file, render } of REFERENCE_PAGES) {
    it(`${file} is what its table gives (run npm run docs after changing the table)`, () => {
      const onDisk = path.join(root, file);
      expect(fs.existsSync(onDisk), `${file} is missing`).toBe(true);
      const text = fs.readFileSync(onDisk, 'utf8');
      expect(text).toBe(render(text));
    });
  }

  it('the columns page has one table row per CSV column, in order', () => {
    const names = [...page('docs/reference/columns.md').matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(names).toEqual([...COLUMN_NAMES]);
  });

  it('the strategies and presets pages name every entry of their tables', () => {
    const strategies = page('docs/reference/strategies.md');
    expect(STRATEGY_NAMES.filter((s) => !strategies.includes(`| \`${s}\` |`))).toEqual([]);
    const presets = page('docs/reference/presets.md');
    expect(FS_PRESET_NAMES.filter((p) => !presets.includes(`## \`${p}\``))).toEqual([]);
  });

  it('the options page lists every option --help lists', () => {
    const options = page('docs/reference/options.md');
    for (const flag of ['--threads LIST', '--strategy LIST', '--target NAME', '--quick', '--help']) {
      expect(options, flag).toMatch(new RegExp(`^\\| \`${flag}[^\`]*\` \\|`, 'm'));
    }
  });
});
