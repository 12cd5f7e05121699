/**
 * `npm run validate:published -- [options]`: published many-core figures
 * beside the virtual target's, with declared tolerances. Bad input is one
 * line and exit 2; a failed run is exit 1 after the table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parsePublishedArgs } from '../harness/published/args.js';
import { runPublished } from '../harness/published/run.js';
import { formatPublished, publishedJson } from '../harness/published/table.js';
import { writeFileAtomic } from '../rows/write-atomic.js';
import { interruptedStatus, runMain, type Interrupts } from './main.js';

async function main(argv: readonly string[], interrupts: Interrupts): Promise<number> {
  const cwd = process.cwd();
  const parsed = parsePublishedArgs(argv, cwd);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  const o = parsed.options;
  const signal = interrupts.listen();
  const dir = o.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-published-'));
  try {
    const err = (l: string): void => void process.stderr.write(`${l}\n`);
    const lines = await runPublished(
      { hz: o.hz, seed: o.seed, dir },
      { cores: os.availableParallelism(), cwd },
      { out: err, err },
      signal,
    );
    process.stdout.write(`${formatPublished(lines)}\n`);
    if (o.jsonPath !== null) writeFileAtomic(o.jsonPath, `${JSON.stringify(publishedJson(lines), null, 2)}\n`);
    if (signal.aborted) return interruptedStatus(signal.reason);
    return lines.some((l) => l.model === null) ? 1 : 0;
  } finally {
    if (o.outDir === null) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await runMain(main);
