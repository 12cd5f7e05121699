/**
 * deferred on real threads has the shape Lutomirski's patches give it: in
 * page_fault3 one transaction per pass (the flush at munmap), and with
 * msync(MS_ASYNC) every N stores one more per msync that found dirty PTEs.
 * Exact counts, no timings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, type ModelInput } from '../../src/model/config.js';
import { modelTarget } from '../../src/targets/model/index.js';
import { testInput } from '../helpers/model-input.js';

const model = modelTarget();
afterAll(() => model.close());

const config = (over: Partial<ModelInput>) =>
  buildConfig(
    // Pages expire after 30 s, far beyond the run: no writeback moves a dirty bit, only munmap and msync do.
    testInput({ strategy: 'deferred', timeScale: 1, ...over }),
  );

describe('deferred on threads', () => {
  it('separate-file: one transaction per pass, plus at most one per writer for the pass its exit cut short', async () => {
    const s = await model.run({ cfg: config({}), timing: { warmupSec: 0.01, durationSec: 0.1 } });
    const { txns, passes, faults, stores } = s.final.total;
    expect(passes).toBeGreaterThan(0);
    expect(faults).toBe(stores);
    expect(txns).toBeGreaterThanOrEqual(passes);
    expect(txns).toBeLessThanOrEqual(passes + 2);
  });

  it('with msync every 64 stores: a transaction per msync, and the munmap after a full pass finds nothing left', async () => {
    const s = await model.run({ cfg: config({ msyncEvery: 64 }), timing: { warmupSec: 0.01, durationSec: 0.1 } });
    const { txns, msyncs, passes } = s.final.total;
    // 256 pages / 64: every pass ends on an msync, so its munmap has no dirty PTE to move.
    expect(msyncs).toBeGreaterThanOrEqual(4 * passes);
    expect(txns).toBeGreaterThanOrEqual(msyncs);
    expect(txns).toBeLessThanOrEqual(msyncs + 2);
  });
});
