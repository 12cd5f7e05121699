/**
 * How compare prints a comparison: one formatter per `--format`, registered
 * here; the command looks its format up in this table and nowhere else.
 */
import type { CompareReport } from '../../analysis/compare.js';
import type { ResultSet } from '../../rows/read.js';
import { formatCompareJson } from './json.js';
import { formatCompareMarkdown } from './markdown.js';
import { formatCompare } from './text.js';

export const COMPARE_FORMATS = {
  text: formatCompare,
  markdown: formatCompareMarkdown,
  json: formatCompareJson,
} as const satisfies Record<string, (report: CompareReport, base: ResultSet, next: ResultSet) => string>;

export type CompareFormat = keyof typeof COMPARE_FORMATS;
export const COMPARE_FORMAT_NAMES = Object.keys(COMPARE_FORMATS) as CompareFormat[];

export { formatCompare, formatCompareJson, formatCompareMarkdown };
