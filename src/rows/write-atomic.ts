/**
 * The one way result files are written (CSV, sidecar, JSON, HTML, profiles):
 * to a temporary file beside the target, then renamed over it, so a reader (or
 * a run killed half-way) sees the old file or the new one, never half of one.
 * Lives in the lowest layer that writes files, so every layer above can use it.
 */
import fs from 'node:fs';
import nodePath from 'node:path';

export interface AtomicWriteOptions {
  /** Create the file's missing directories first. */
  readonly mkdir?: boolean;
}

export function writeFileAtomic(file: string, text: string, opts: AtomicWriteOptions = {}): void {
  const dir = nodePath.dirname(file);
  if (opts.mkdir) fs.mkdirSync(dir, { recursive: true });
  // Same directory, so the rename stays on one file system; a name no one else uses, created exclusively.
  const tmp = nodePath.join(
    dir,
    `.${nodePath.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
