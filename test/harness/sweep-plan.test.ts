/**
 * The sweep's plan: every configuration's state built once, before the first
 * run, under one key (preset|workload|journal|strategy|threads) that the
 * scheduler, the files, the outcome and the JSON all use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseBenchArgs, type BenchOptions } from '../../src/harness/options.js';
import { runSweep } from '../../src/harness/sweep.js';
import { configKey, planSweep, rowsOf, setUpSweep } from '../../src/harness/sweep/plan.js';
import { scratchDir } from '../helpers/cli.js';

const tmp = scratchDir('sweep-plan');

function options(name: string, ...argv: string[]): BenchOptions {
  const csv = path.join(tmp, `${name}.csv`);
  const parsed = parseBenchArgs(['--target', 'virtual', '--quick', '--csv', csv, ...argv], {
    cores: 2,
    now: new Date(),
    cwd: tmp,
  });
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.options;
}

describe('the sweep plan', () => {
  it('keys each configuration by its preset too: two presets with one journal and strategy are four states', async () => {
    const opts = options('presets', '--preset', 'ext3-2013,ext4-2013', '--threads', '1,4');
    const setup = setUpSweep(opts, 2);
    try {
      const plan = planSweep(setup, opts);
      expect([...plan.states.keys()]).toEqual([
        'ext3-2013|separate-file|jbd2|eager|1',
        'ext3-2013|separate-file|jbd2|eager|4',
        'ext4-2013|separate-file|jbd2|eager|1',
        'ext4-2013|separate-file|jbd2|eager|4',
      ]);
      for (const [key, st] of plan.states) {
        expect(configKey(st.c)).toBe(key);
        expect(st.cfg.writers).toBe(st.c.threads);
        expect(st.context.preset).toBe(st.c.preset);
        expect(st.status).toBe('running');
      }
      // Each preset brings its own hot-lock kind, which the progress line names.
      expect([...plan.states.values()].map((st) => st.label)).toEqual([
        'virtual journal=jbd2 lock=ticket strategy=eager threads=1',
        'virtual journal=jbd2 lock=ticket strategy=eager threads=4',
        'virtual journal=jbd2 lock=rw strategy=eager threads=1',
        'virtual journal=jbd2 lock=rw strategy=eager threads=4',
      ]);
      expect(rowsOf(plan)).toEqual([]);
    } finally {
      await setup.target.close?.();
    }
  });

  it("keys the outcome's samples and the JSON's runs alike; the rows come in the sweep's order", async () => {
    const json = path.join(tmp, 'run.json');
    const opts = options('run', '--strategy', 'eager,lazytime', '--threads', '1,4', '--runs', '2', '--json', json);
    const lines: string[] = [];
    const outcome = await runSweep(opts, 2, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(outcome.errors, lines.join('\n')).toEqual([]);
    expect(outcome.rows.map((r) => `${r.strategy}|${r.threads}`)).toEqual([
      'eager|1',
      'eager|4',
      'lazytime|1',
      'lazytime|4',
    ]);
    const keys = ['eager|1', 'eager|4', 'lazytime|1', 'lazytime|4'].map((k) => `|separate-file|jbd2|${k}`);
    // Configurations finish in any order (interleaved, several at once): the keys are the same, their order need not be.
    expect(Object.keys(outcome.samples).sort()).toEqual(keys);
    const written = JSON.parse(fs.readFileSync(json, 'utf8')) as { runs: Record<string, { faults_per_sec: number }[]> };
    expect(Object.keys(written.runs)).toEqual(Object.keys(outcome.samples));
    for (const [key, samples] of Object.entries(outcome.samples)) {
      expect(written.runs[key]!.map((r) => r.faults_per_sec)).toEqual(samples.map((s) => s.faultsPerSec));
    }
  }, 60_000);
});
