/** The report's link to its CSV: a relative address, so the two can be moved or shared together. */
import path from 'node:path';

export function csvHref(reportPath: string, csvPath: string): string {
  const rel = path.relative(path.dirname(path.resolve(reportPath)), path.resolve(csvPath));
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}
