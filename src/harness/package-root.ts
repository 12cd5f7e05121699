/**
 * Where faultscale is installed, and the directory the user typed the command
 * in (relative paths are taken from the second, results and baselines land
 * under it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { invocationCwd } from './args/paths.js';

let root: string | null | undefined;

/**
 * The package root: the nearest ancestor of this module holding faultscale's
 * package.json (dist/src/harness at run time, src/harness under vitest).
 */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'faultscale') return (root = dir);
    } catch {
      // no (readable) package.json here
    }
    const up = path.dirname(dir);
    if (up === dir) return (root = null);
    dir = up;
  }
}

/** The directory the command was typed in: INIT_CWD under `npm run`, the working directory otherwise. */
export const userCwd = (): string => invocationCwd(packageRoot());
