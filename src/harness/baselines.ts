/**
 * Named baselines, as Criterion keeps them: `bench --save-baseline NAME`
 * copies a sweep's CSV and its sidecar to results/baselines/NAME.csv (and
 * NAME.runs.csv), replacing an older baseline of that name, and
 * `compare --baseline NAME NEW.csv` compares against it. results/ is the
 * bench's default results directory, under the directory the command was
 * typed in.
 */
import fs from 'node:fs';
import nodePath from 'node:path';

import { sidecarPath } from '../rows/runs.js';
import { writeFileAtomic } from '../rows/write-atomic.js';
import { listAlternatives, quote, UsageError } from './errors.js';

export const BASELINE_DIR = nodePath.join('results', 'baselines');

// A file name on every system: no separators, no leading dot, nothing a shell would mangle.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A baseline's name, checked: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function parseBaselineName(flag: string, raw: string): string {
  if (!NAME.test(raw) || raw.endsWith('.csv')) {
    throw new UsageError(
      `${flag}: ${quote(raw)} is not a baseline name; use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, without .csv`,
      flag,
    );
  }
  return raw;
}

export const baselineDir = (cwd: string): string => nodePath.resolve(cwd, BASELINE_DIR);
export const baselinePath = (cwd: string, name: string): string => nodePath.join(baselineDir(cwd), `${name}.csv`);

/** The names saved under `cwd`, sorted. */
export function listBaselines(cwd: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(baselineDir(cwd));
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith('.csv') && !f.endsWith('.runs.csv'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** The CSV of an existing baseline; otherwise a UsageError that lists the ones there are. */
export function existingBaseline(flag: string, cwd: string, name: string): string {
  const file = baselinePath(cwd, name);
  if (fs.existsSync(file)) return file;
  const saved = listBaselines(cwd);
  throw new UsageError(
    `${flag}: no baseline ${quote(name)} in ${baselineDir(cwd)}; ` +
      (saved.length > 0
        ? `saved: ${listAlternatives(saved)}`
        : 'none saved yet: run faultscale bench --save-baseline NAME'),
    flag,
  );
}

/** Copies a results CSV and its sidecar (when there is one) to a baseline's CSV path (baselinePath). */
export function saveBaseline(target: string, csvPath: string): void {
  writeFileAtomic(target, fs.readFileSync(csvPath, 'utf8'), { mkdir: true });
  const side = sidecarPath(csvPath);
  if (fs.existsSync(side)) writeFileAtomic(sidecarPath(target), fs.readFileSync(side, 'utf8'));
  // A stale sidecar of an older baseline would pair old runs with the new rows.
  else fs.rmSync(sidecarPath(target), { force: true });
}
