/**
 * The kernel target through the threads coordinator: page_fault3 and rewrite, in
 * both will-it-scale flavours (writer threads, writer processes), with the
 * fstat observer filling the staleness figures. Short runs on tmpfs
 * (/dev/shm) where it is tmpfs, else os.tmpdir(); assertions are on counts
 * and invariants (the coordinator itself checks faults = stores and whole
 * passes), never on speeds. Needs the addon (test/helpers/need.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/model/config.js';
import { SAMPLE_EVERY } from '../../src/model/layout.js';
import { PROFILES } from '../../src/model/profiles.js';
import type { WorkloadName } from '../../src/model/workloads.js';
import { fsInfo } from '../../src/targets/kernel/fsinfo.js';
import { kernelTarget } from '../../src/targets/kernel/index.js';
import { WRITER_MODES, type Target } from '../../src/targets/target.js';
import { parseCsv } from '../../src/rows/codec.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { nativeAddonMissing, need } from '../helpers/need.js';

const addonNeed = need('the native addon', nativeAddonMissing());
const label = addonNeed.label;
const DIR = ((): string => {
  try {
    return fsInfo('/dev/shm').fsType === 'tmpfs' ? '/dev/shm' : os.tmpdir();
  } catch {
    return os.tmpdir();
  }
})();
const PAGES = 256;
const WRITERS = 2;
const timing = { warmupSec: 0.05, durationSec: 0.2 };

function run(target: Target, workload: WorkloadName, observerIntervalMs: number) {
  const cfg = buildConfig({
    workload,
    journal: 'none',
    strategy: 'none',
    lock: 'auto',
    profile: PROFILES.zero,
    writers: WRITERS,
    pages: PAGES,
    timeScale: 0.01,
    tickMs: 4,
    observerIntervalMs,
    cores: 2,
    unitsPerNs: 1,
    services: target.services('none', observerIntervalMs),
    sharedPages: target.sharedPages(PAGES),
  });
  return target.run({ cfg, timing });
}

describe.skipIf(addonNeed.skip)(label(`kernel target in ${DIR}`), () => {
  const targets = Object.fromEntries(WRITER_MODES.map((mode) => [mode, kernelTarget(DIR, mode)]));
  afterAll(() => Promise.all(Object.values(targets).map((t) => t.close())));

  it('its rows are in real time at its own tick, and it names its flavour', () => {
    const facts = kernelTarget(DIR).facts({ timeScale: 0.01, hz: 250 });
    expect(facts.timeScale).toBe(1);
    expect(facts.hz).toBeNaN();
    for (const mode of WRITER_MODES) expect(kernelTarget(DIR, mode).facts(facts).mode).toBe(mode);
    expect(kernelTarget(DIR).services('none', 10)).toEqual(['observer']);
    expect(kernelTarget(DIR).services('none', 0)).toEqual([]);
  });

  for (const mode of WRITER_MODES) {
    it(`${mode}: page_fault3 with the observer: every writer stores, samples are taken and each is noticed or not`, async () => {
      const s = await run(targets[mode]!, 'separate-file', 1);
      for (const c of s.final.perCpu.slice(0, WRITERS)) expect(c.stores).toBeGreaterThan(0);
      const st = s.staleness!;
      expect(st).not.toBeNull();
      expect(st.samples).toBeGreaterThan(0);
      // One sample per SAMPLE_EVERY stores of each writer, never more.
      expect(st.samples).toBeLessThanOrEqual(s.final.total.stores / SAMPLE_EVERY + WRITERS);
      expect(st.lagsUs.length + st.unnoticed).toBe(st.samples);
      for (const lag of st.lagsUs) expect(lag).toBeGreaterThanOrEqual(0);
      expect(s.final.total.observerBusyUs).toBeGreaterThan(0);
    });

    it(`${mode}: rewrite maps once, so the stores of later passes take no fault`, async () => {
      const s = await run(targets[mode]!, 'rewrite', 1);
      const t = s.final.total;
      expect(t.passes).toBeGreaterThan(WRITERS); // more than one pass each, on average
      expect(t.minorFaults).toBeGreaterThan(0);
      // The first pass of each writer faults (and the loop's own stack and counters, a few); page_fault3 would
      // fault on every store.
      expect(t.minorFaults).toBeLessThanOrEqual(2 * WRITERS * PAGES);
      expect(s.staleness!.samples).toBeGreaterThan(0);
    });
  }

  it('without an observer there are no samples and no staleness', async () => {
    const s = await run(targets.threads!, 'separate-file', 0);
    expect(s.staleness).toBeNull();
    expect(s.final.total.sampleHead).toBe(0);
  });
});

describe.skipIf(addonNeed.skip)(label('bench --target kernel --mode processes'), () => {
  it("writes rows whose mode column says processes, with the children's minor faults counted", async () => {
    const cwd = tempDir('kmode');
    try {
      const csv = path.join(cwd, 'k.csv');
      const r = await runCli(
        [
          '--target',
          'kernel',
          '--mode',
          'processes',
          '--threads',
          '1,2',
          '--runs',
          '1',
          '--duration',
          '0.2',
          '--warmup',
          '0.05',
          '--pages',
          '256',
          '--dir',
          DIR,
          '--csv',
          csv,
        ],
        cwd,
        60_000,
      );
      expect(r.status, r.stderr).toBe(0);
      const [header, ...lines] = parseCsv(fs.readFileSync(csv, 'utf8'));
      const col = (name: string): number => header!.indexOf(name);
      expect(lines).toHaveLength(2);
      for (const l of lines) {
        expect(l[col('target')]).toBe('kernel');
        expect(l[col('mode')]).toBe('processes');
        expect(Number(l[col('minor_faults_per_store')])).toBeGreaterThan(0);
        expect(Number(l[col('faults_per_sec_mean')])).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
