/** Default result file names: `<dir>/<prefix>-<UTC timestamp>.<ext>`. */
import nodePath from 'node:path';

/** `2026-11-24T23:59:01.123Z` → `2026-11-24T23-59-01Z`: sortable and safe in file names everywhere. */
export function fileTimestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/** e.g. timestampedPath(cwd, 'results', 'fs', 'csv', now) → `<cwd>/results/fs-2026-11-24T23-59-01Z.csv`. */
export function timestampedPath(cwd: string, dir: string, prefix: string, ext: string, now: Date): string {
  return nodePath.resolve(cwd, dir, `${prefix}-${fileTimestamp(now)}.${ext}`);
}
