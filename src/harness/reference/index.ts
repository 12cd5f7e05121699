/**
 * The reference pages under docs/reference/, each generated from the table in
 * the code that it documents (`npm run docs` writes them; a test fails when a
 * page on disk differs from what its table gives now).
 */
import { columnsPage } from './columns.js';
import { optionsPage } from './options.js';
import { presetsPage } from './presets.js';
import { strategiesPage } from './strategies.js';

export interface ReferencePage {
  /** Path from the repository root. */
  readonly file: string;
  readonly render: () => string;
}

export const REFERENCE_PAGES: readonly ReferencePage[] = [
  { file: 'docs/reference/options.md', render: optionsPage },
  { file: 'docs/reference/columns.md', render: columnsPage },
  { file: 'docs/reference/strategies.md', render: strategiesPage },
  { file: 'docs/reference/presets.md', render: presetsPage },
];
