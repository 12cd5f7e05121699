/** The header's note on rows a comparison leaves out because they were never measured. */
import type { ResultSet } from '../../rows/read.js';
import { okRows } from '../../rows/rows.js';
import { plural } from './words.js';

/** A note per side with rows that were not measured (failed or interrupted), the same in every format. */
export function unmeasuredNotes(base: ResultSet, next: ResultSet): string[] {
  const out: string[] = [];
  for (const [role, set] of [
    ['base', base],
    ['new', next],
  ] as const) {
    const unmeasured = set.rows.length - okRows(set.rows).length;
    if (unmeasured > 0)
      out.push(`${role}: ${plural(unmeasured, 'row')} not measured (failed or interrupted), not compared`);
  }
  return out;
}
