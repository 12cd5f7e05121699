/**
 * The virtual target's engine: coherence and line queueing, lock hand-offs by
 * kind, determinism, and that a virtual run keeps the model's invariants.
 * The hardware here is a test preset with round numbers, so the expected
 * costs can be written down.
 */
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/model/config.js';
import { PROFILES } from '../../src/model/profiles.js';
import { lockStatAt } from '../../src/model/layout.js';
import type { LockKind } from '../../src/model/locks/kinds.js';
import type { Hardware } from '../../src/targets/virtual/hardware.js';
import { VirtualMachine } from '../../src/targets/virtual/machine.js';
import { VirtualMemory } from '../../src/targets/virtual/memory.js';
import { simulate } from '../../src/targets/virtual/simulate.js';

/** 2 sockets × 2 cores × 1 thread: CPUs 0 and 1 share socket 0, CPUs 2 and 3 socket 1. */
const HW: Hardware = {
  name: 'test-2s',
  topology: { sockets: 2, coresPerSocket: 2, threadsPerCore: 1 },
  lineTransferNs: { self: 0, smt: 5, socket: 50, 'remote-1hop': 150, 'remote-2hop': 250 },
  wakeNs: 5000,
  smtGain: 0.3,
  socketHops: (a, b) => (a === b ? 0 : 1),
  sources: ['test preset'],
};

const machine = (cpus: number, slots = 256): { m: VirtualMachine; mem: VirtualMemory[]; a: Int32Array } => {
  const m = new VirtualMachine(HW, cpus, slots, cpus);
  const mem = Array.from({ length: cpus }, (_, c) => new VirtualMemory(m, c, 0));
  return { m, mem, a: new Int32Array(slots) };
};

describe('coherence', () => {
  it('a line read by two CPUs and then written by a third costs one fetch each and one invalidation', () => {
    const { m, mem, a } = machine(3);
    mem[0]!.load(a, 0); // nobody had the line: memory latency is not modelled
    expect(mem[0]!.now).toBe(0);
    mem[1]!.load(a, 1); // same line (slots 0..15), from CPU 0 on the same socket
    expect(mem[1]!.now).toBe(50);
    expect(m.transfers[1]).toBe(1);
    mem[1]!.load(a, 2); // now a hit
    expect(mem[1]!.now).toBe(50);
    mem[2]!.now = 1000;
    mem[2]!.store(a, 3, 7); // invalidates both sharers on the other socket
    expect(mem[2]!.now).toBe(1150);
    expect(m.transfers[2]).toBe(1);
    mem[2]!.add(a, 4, 1); // owned: a hit
    expect(mem[2]!.now).toBe(1150);
    mem[0]!.now = 2000;
    mem[0]!.load(a, 0); // the writer owns it now: fetch from it
    expect(mem[0]!.now).toBe(2150);
    expect(a[3]).toBe(7);
    expect(a[4]).toBe(1);
  });

  it("a hit costs the preset's self latency, and so does a line nobody held", () => {
    const m = new VirtualMachine({ ...HW, lineTransferNs: { ...HW.lineTransferNs, self: 2 } }, 2, 64, 2);
    const mem = [0, 1].map((c) => new VirtualMemory(m, c, 0));
    const a = new Int32Array(64);
    mem[0]!.store(a, 0, 1); // nobody had it: a hit's cost
    expect(mem[0]!.now).toBe(2);
    mem[0]!.load(a, 1); // owned: a hit
    mem[0]!.add(a, 2, 1);
    expect(mem[0]!.now).toBe(6);
    mem[1]!.load(a, 0); // a miss costs the transfer alone
    expect(mem[1]!.now).toBe(50);
    mem[1]!.load(a, 0); // now shared here: a hit
    expect(mem[1]!.now).toBe(52);
  });

  it('two transfers of one line queue, never overlap', () => {
    const { m, mem, a } = machine(3);
    mem[0]!.store(a, 0, 1);
    mem[1]!.store(a, 0, 2); // takes it from CPU 0 at t=0: [0, 50)
    mem[2]!.store(a, 0, 3); // from CPU 1, also asked at t=0: must wait for the first transfer
    expect(mem[1]!.now).toBe(50);
    expect(mem[2]!.now).toBe(50 + 150);
    expect(m.lineWaitNs[2]).toBe(200);
  });

  it('an earlier access fits a gap before a later reservation', () => {
    const { mem, a } = machine(3);
    mem[0]!.store(a, 0, 1);
    mem[1]!.now = 1000;
    mem[1]!.store(a, 0, 2); // [1000, 1050)
    mem[2]!.now = 100;
    mem[2]!.store(a, 0, 3); // asked at 100, before that reservation: [100, 250) fits ahead of it
    expect(mem[2]!.now).toBe(250);
    mem[0]!.now = 990;
    mem[0]!.store(a, 0, 4); // asked at 990: [990, 1140) would overlap [1000, 1050), so it goes after
    expect(mem[0]!.now).toBe(1050 + 150);
  });
});

describe('lock hand-offs', () => {
  /** n CPUs of one socket arrive at t=0 at one lock and hold it `hold` ns each; returns when the last one is done. */
  const contend = (kind: LockKind, n: number, hold: number, shared = false): number => {
    const m = new VirtualMachine({ ...HW, topology: { sockets: 1, coresPerSocket: 64, threadsPerCore: 1 } }, n, 256, n);
    let last = 0;
    for (let c = 0; c < n; c++) {
      const mem = new VirtualMemory(m, c, 0);
      mem.lockAcquired(64, kind, shared, 0);
      mem.spend(hold);
      mem.lockReleased(64, kind, shared, 0);
      last = Math.max(last, mem.now);
    }
    return last;
  };
  const perHandoff = (kind: LockKind, n: number): number => (contend(kind, n, 100) - n * 100) / (n - 1);

  it('an uncontended acquisition waits for nothing', () => {
    for (const kind of ['ticket', 'mcs', 'ttas', 'rw', 'mutex'] as const) expect(contend(kind, 1, 100)).toBe(100);
  });

  it('MCS hands off in one transfer however many wait; a ticket hand-off grows with the waiters', () => {
    expect(perHandoff('mcs', 4)).toBeCloseTo(50, 6);
    expect(perHandoff('mcs', 32)).toBeCloseTo(50, 6);
    expect(perHandoff('ticket', 4)).toBeGreaterThan(50);
    expect(perHandoff('ticket', 32)).toBeGreaterThan(3 * perHandoff('ticket', 4));
    expect(perHandoff('ttas', 32)).toBeGreaterThan(perHandoff('ticket', 32));
  });

  it('a sleeping mutex hands off in a wake-up', () => {
    expect(perHandoff('mutex', 8)).toBeCloseTo(HW.wakeNs, 6);
  });

  it('rw readers do not exclude each other; a writer waits for them', () => {
    expect(contend('rw', 16, 100, true)).toBe(100);
    const m = new VirtualMachine(HW, 3, 256, 3);
    const r = [new VirtualMemory(m, 0, 0), new VirtualMemory(m, 1, 0)];
    for (const mem of r) {
      mem.lockAcquired(64, 'rw', true, 0);
      mem.spend(1000);
      mem.lockReleased(64, 'rw', true, 0);
    }
    const w = new VirtualMemory(m, 2, 0);
    w.now = 10;
    w.lockAcquired(64, 'rw', false, 0);
    expect(w.now).toBeGreaterThanOrEqual(1000);
    w.spend(100);
    w.lockReleased(64, 'rw', false, 0);
    // The wait counted for its class (stat slot 0 → class 0, hot).
    expect(m.lockWaitNs[2 * 7]).toBeGreaterThanOrEqual(990);
  });
});

const HW8: Hardware = { ...HW, topology: { sockets: 2, coresPerSocket: 4, threadsPerCore: 1 } };
const config = (over: Partial<Parameters<typeof buildConfig>[0]> = {}) =>
  buildConfig({
    workload: 'separate-file',
    journal: 'xfs-cil',
    strategy: 'eager-iversion',
    lock: 'auto',
    profile: PROFILES.default,
    writers: 4,
    pages: 256,
    timeScale: 0.0002,
    tickMs: 0.5,
    observerIntervalMs: 0.2,
    cores: 2,
    unitsPerNs: 1,
    ...over,
  });
const TIMING = { warmupNs: 0.5e6, windowNs: 1.5e6 };

describe('virtual runs', () => {
  it('are deterministic for a seed and differ for the next one', () => {
    const cfg = config({ workload: 'shared-file', writers: 6 });
    const a = simulate(cfg, HW8, TIMING, 7).sample;
    const b = simulate(cfg, HW8, TIMING, 7).sample;
    const c = simulate(cfg, HW8, TIMING, 8).sample;
    expect(b.window).toEqual(a.window);
    expect(b.waits).toEqual(a.waits);
    expect(c.window.perCpu).not.toEqual(a.window.perCpu);
  }, 60_000);

  it.each([
    ['jbd2', 'eager-iversion', 'separate-file'],
    ['jbd2', 'lazytime', 'separate-file'],
    ['xfs-cil', 'eager', 'shared-file'],
    ['xfs-cil-percpu', 'iversion-queried', 'separate-file'],
    ['none', 'multigrain', 'rewrite'],
  ] as const)(
    '%s / %s / %s keeps the invariants, commits, writes back and polls',
    (journal, strategy, workload) => {
      // A rewrite store that does not fault costs a few ns: fewer writers keep the test short.
      const cfg = config({ journal, strategy, workload, writers: workload === 'rewrite' ? 2 : 4 });
      const run = simulate(cfg, HW8, TIMING, 1);
      expect(run.violations).toEqual([]);
      const w = run.sample.window.total;
      expect(w.stores).toBeGreaterThan(0);
      if (workload !== 'rewrite') expect(w.faults).toBeGreaterThan(0);
      expect(w.polls).toBeGreaterThan(0);
      if (journal !== 'none') expect(run.sample.final.total.commits).toBeGreaterThan(0);
      expect(run.sample.final.total.pagesWritten).toBeGreaterThan(0);
      expect(run.sample.staleness?.samples ?? 0).toBeGreaterThan(0);
      expect(run.sample.elapsedSec).toBeCloseTo(1.5e-3, 12);
    },
    60_000,
  );

  it('the observer steps a file at a time: it polls inside the window, and only its busy time there counts', () => {
    // wrprotect-on-query: a getattr walks every dirty page of its file, so a round over eight files outlasts the window.
    const cfg = config({ strategy: 'wrprotect-on-query', writers: 8, pages: 512 });
    const run = simulate(cfg, HW8, TIMING, 1);
    expect(run.violations).toEqual([]);
    const w = run.sample.window.total;
    expect(w.polls).toBeGreaterThan(0);
    expect(w.wrprotects).toBeGreaterThan(0);
    expect(w.observerBusyUs).toBeLessThanOrEqual(TIMING.windowNs / 1000);
    expect(run.sample.final.total.pagesWritten).toBeGreaterThan(0);
  }, 60_000);

  it('charge contention: more writers on one shared file wait a larger share of their time', () => {
    const share = (writers: number): number => {
      const s = simulate(config({ writers, workload: 'shared-file', journal: 'xfs-cil' }), HW8, TIMING, 1).sample
        .waits!;
      return s.line + Object.values(s.locks).reduce((x, y) => x + y, 0);
    };
    expect(share(8)).toBeGreaterThan(share(1));
  }, 60_000);

  it('a wait() reached in a virtual run throws, naming the slot', () => {
    const { mem, a } = machine(1);
    expect(() => mem[0]!.wait(a, 17, 0)).toThrow(/slot 17/);
  });

  it('uses the lock statistics slot to name the class', () => {
    const cfg = config({ writers: 1 });
    const m = new VirtualMachine(HW8, cfg.layout.cpus, cfg.layout.slots, cfg.writers);
    const mem = new VirtualMemory(m, 0, lockStatAt(cfg.layout, 0, 0));
    // Class 3 (inode): a second CPU queues behind the first one's hold.
    const other = new VirtualMemory(m, 1, lockStatAt(cfg.layout, 1, 0));
    mem.lockAcquired(640, 'ttas', false, lockStatAt(cfg.layout, 0, 3));
    mem.spend(500);
    mem.lockReleased(640, 'ttas', false, lockStatAt(cfg.layout, 0, 3));
    other.lockAcquired(640, 'ttas', false, lockStatAt(cfg.layout, 1, 3));
    other.lockReleased(640, 'ttas', false, lockStatAt(cfg.layout, 1, 3));
    expect(m.lockWaitNs[1 * 7 + 3]).toBeGreaterThan(500);
    expect(m.lockWaitNs[1 * 7 + 0]).toBe(0);
  });
});
