/** Where a compiled pool entry (workers/NAME.ts) lies, for the targets that start pools of threads. */
import { fileURLToPath } from 'node:url';

/** Compiled worker entry `name`. Under a TypeScript runner (tests) this module is .ts, so point at the build. */
export function workerFile(name: string): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? `../../dist/workers/${name}.js` : `../../workers/${name}.js`;
  return fileURLToPath(new URL(rel, here));
}
