/**
 * The threads coordinator as the model target uses it: a run that needs more
 * threads than the pool was sized for gets a larger pool (warmed again), and
 * the warm-up covers each distinct configuration once, with one writer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, type ModelInput } from '../../src/model/config.js';
import { modelTarget } from '../../src/targets/model/index.js';
import { warmModels } from '../../src/targets/model/warm.js';
import type { SweepConfig, SweepPreview } from '../../src/targets/target.js';
import { testInput } from '../helpers/model-input.js';

const input = (over: Partial<ModelInput>): ModelInput =>
  testInput({ strategy: 'eager', writers: 1, pages: 64, ...over });

/** A preview whose models record how the target asked for them. */
function preview(configs: SweepConfig[]): SweepPreview & { asked: [number, number][] } {
  const asked: [number, number][] = [];
  return {
    configs,
    asked,
    model: (c, writers, maxPages) => {
      asked.push([writers, maxPages]);
      return buildConfig(input({ ...c, writers }));
    },
  };
}

describe('the model target on threads', () => {
  const model = modelTarget();
  afterAll(() => model.close());

  it('warms up once per distinct configuration, with one writer and at most 1024 pages', () => {
    const configs: SweepConfig[] = [1, 2, 4].flatMap((threads) => [
      { workload: 'separate-file', journal: 'jbd2', strategy: 'eager', threads },
      { workload: 'separate-file', journal: 'jbd2', strategy: 'lazytime', threads },
      { workload: 'separate-file', journal: 'jbd2', strategy: 'eager', threads, preset: 'ext4-2013' },
    ]);
    const p = preview(configs);
    const models = warmModels(p);
    expect(models.map((m) => m.strategy)).toEqual(['eager', 'lazytime', 'eager']);
    expect(p.asked).toEqual([
      [1, 1024],
      [1, 1024],
      [1, 1024],
    ]);
  });

  // Starting and warming two pools of threads on a loaded machine takes a while: a minute at most.
  it('runs a configuration larger than the sweep it was prepared for', async () => {
    await model.prepare(preview([{ workload: 'separate-file', journal: 'jbd2', strategy: 'eager', threads: 1 }]));
    // Prepared for 1 writer and 4 services (5 threads); this run has 3 writers and 3 services.
    const cfg = buildConfig(input({ writers: 3, observerIntervalMs: 1 }));
    expect(cfg.writers + cfg.services.length).toBeGreaterThan(5);
    const s = await model.run({ cfg, timing: { warmupSec: 0.01, durationSec: 0.05 } });
    for (const c of s.final.perCpu.slice(0, 3)) expect(c.stores).toBeGreaterThan(0);
    expect(s.final.total.faults).toBe(s.final.total.stores);
  }, 60_000);
});
