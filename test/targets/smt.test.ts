import { describe, expect, it } from 'vitest';

import { distance, execSlowdown, type Hardware } from '../../src/targets/virtual/hardware.js';
import { VirtualMachine } from '../../src/targets/virtual/machine.js';
import { VirtualMemory } from '../../src/targets/virtual/memory.js';
import { WESTMERE_EX_8S } from '../../src/targets/virtual/westmere-ex-8s.js';

const HW: Hardware = WESTMERE_EX_8S;
const gain = HW.smtGain;

describe('CPU numbering (Linux, will-it-scale): every core first, then the second threads', () => {
  it('CPU n and n + 80 are SMT siblings on westmere-ex-8s; CPUs 0..9 share socket 0', () => {
    expect(distance(HW, 0, 80)).toBe('smt');
    expect(distance(HW, 79, 159)).toBe('smt');
    expect(distance(HW, 0, 1)).toBe('socket');
    expect(distance(HW, 0, 9)).toBe('socket');
    expect(distance(HW, 0, 10)).not.toBe('socket');
    expect(distance(HW, 0, 10)).not.toBe('smt');
    expect(distance(HW, 5, 85)).toBe('smt');
    expect(distance(HW, 5, 86)).toBe('socket');
  });
});

describe('SMT siblings share their core', () => {
  it('up to one writer per core nobody slows; from 81 writers the doubled cores run 2 / (1 + gain) slower', () => {
    const at80 = execSlowdown(HW, 84, 80);
    for (let c = 0; c < 80; c++) expect(at80[c]).toBe(1);
    // Services (CPUs 80..83 here) sit on the second threads of cores 0..3, whose writers keep them busy.
    expect(at80[80]).toBeCloseTo(2 / (1 + gain), 12);
    // Past 160 a service shares a writer's own hardware thread: it preempts that writer, so only the sibling counts.
    const full = execSlowdown(HW, 164, 160);
    expect(full[160]).toBeCloseTo(2 / (1 + gain), 12);
    const single = execSlowdown({ ...HW, topology: { sockets: 2, coresPerSocket: 4, threadsPerCore: 1 } }, 12, 8);
    expect([...single]).toEqual(new Array(12).fill(1));
    const at81 = execSlowdown(HW, 81, 81);
    expect(at81[0]).toBeCloseTo(2 / (1 + gain), 12);
    expect(at81[80]).toBeCloseTo(2 / (1 + gain), 12);
    expect(at81[1]).toBe(1);
    const at160 = execSlowdown(HW, 160, 160);
    expect([...at160].every((x) => Math.abs(x - 2 / (1 + gain)) < 1e-12)).toBe(true);
  });

  it('past the topology, run CPUs time-slice a core beyond its two threads', () => {
    const s = execSlowdown(HW, 320, 320);
    expect(s[0]).toBeCloseTo(4 / (1 + gain), 12);
  });

  it("spend() charges the profile's work at that speed; line transfers are not slowed", () => {
    const m = new VirtualMachine(HW, 160, 64, 160);
    const mem = new VirtualMemory(m, 3, 0);
    mem.spend(1000);
    expect(mem.now).toBeCloseTo((1000 * 2) / (1 + gain), 9);
    const alone = new VirtualMachine(HW, 80, 64, 80);
    const one = new VirtualMemory(alone, 3, 0);
    one.spend(1000);
    expect(one.now).toBe(1000);
  });
});
