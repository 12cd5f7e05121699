// The layer rule (eslint/layers.js) through ESLint's own API and the
// project's eslint.config.js: a planted upward import is reported, an import
// of a lower layer is not, and a folder that only shares a layer's name
// (src/targets/model/) is not mistaken for that layer.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerMessages(code: string, filePath: string): Promise<string[]> {
  const results = await eslint.lintText(code, { filePath });
  return results
    .flatMap((r) => r.messages)
    .filter((m) => m.ruleId === 'faultscale/layers')
    .map((m) => m.message);
}

describe('the layer lint rule', () => {
  it('reports an upward import planted in the model', async () => {
    const code = "import { runSweep } from '../harness/sweep.js';\nexport const x = runSweep;\n";
    const messages = await layerMessages(code, 'src/model/x.ts');
    expect(messages).toEqual([
      "src/model may not import src/harness ('../harness/sweep.js'): harness is a higher layer " +
        '(order: model → targets → rows → analysis → output → harness → commands).',
    ]);
  });

  it('reports re-exports, type imports and dynamic imports from a higher layer', async () => {
    const code = [
      "import type { Row } from '../../rows/rows.js';",
      "export { fmtRate } from '../../output/format.js';",
      "export const load = () => import('../../commands/main.js');",
      'export type R = Row;',
      '',
    ].join('\n');
    const messages = await layerMessages(code, 'src/targets/virtual/x.ts');
    expect(messages.map((m) => m.split(' (')[0])).toEqual([
      'src/targets may not import src/rows',
      'src/targets may not import src/output',
      'src/targets may not import src/commands',
    ]);
  });

  it('passes an import of a lower layer or of the same layer', async () => {
    const code = [
      "import { buildConfig } from '../model/config.js';",
      "import { COLUMNS } from '../rows/rows.js';",
      "import { summarize } from './stats.js';",
      'export const all = [buildConfig, COLUMNS, summarize];',
      '',
    ].join('\n');
    expect(await layerMessages(code, 'src/analysis/x.ts')).toEqual([]);
  });

  it('resolves paths, so src/targets/model/ counts as targets, not model', async () => {
    const code = "import { modelTarget } from '../targets/model/index.js';\nexport const t = modelTarget;\n";
    expect(await layerMessages(code, 'src/rows/x.ts')).toEqual([]);
    expect((await layerMessages(code, 'src/model/x.ts'))[0]).toMatch(/^src\/model may not import src\/targets/);
  });
});
