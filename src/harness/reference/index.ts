/**
 * The generated documentation: the reference pages under docs/reference/, each
 * generated from the table in the code that it documents, and the README's
 * generated blocks, their short forms (`npm run docs` writes them; a test fails
 * when a file on disk differs from what its tables give now).
 */
import { columnsPage } from './columns.js';
import { optionsPage } from './options.js';
import { presetsPage } from './presets.js';
import { readmePage } from './readme.js';
import { strategiesPage } from './strategies.js';

export interface ReferencePage {
  /** Path from the repository root. */
  readonly file: string;
  /** The file as the tables give it, from the file as it is ('' where there is none): a README keeps its prose. */
  readonly render: (current: string) => string;
}

export const REFERENCE_PAGES: readonly ReferencePage[] = [
  { file: 'docs/reference/options.md', render: optionsPage },
  { file: 'docs/reference/columns.md', render: columnsPage },
  { file: 'docs/reference/strategies.md', render: strategiesPage },
  { file: 'docs/reference/presets.md', render: presetsPage },
  { file: 'README.md', render: readmePage },
];
