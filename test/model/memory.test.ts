/**
 * The Memory that real threads use: its operations are the Atomics builtins
 * themselves (inherited, so call sites resolve them as constants), a Memory
 * built from it replaces only what it names, and emulated work of zero units
 * does nothing.
 */
import { describe, expect, it } from 'vitest';
import { ATOMICS, atomicsWith, type Memory } from '../../src/model/memory.js';
import { spend, workSink } from '../../src/model/work.js';

const OPS = ['load', 'store', 'add', 'sub', 'and', 'or', 'exchange', 'compareExchange', 'wait', 'notify'] as const;

describe('ATOMICS', () => {
  it('calls the Atomics builtins themselves, inherited rather than own properties', () => {
    for (const op of OPS) {
      expect(ATOMICS[op]).toBe(Atomics[op]);
      expect(Object.hasOwn(ATOMICS, op)).toBe(false);
    }
  });

  it('reads and writes the shared array as Atomics does', () => {
    const a = new Int32Array(new SharedArrayBuffer(16));
    ATOMICS.store(a, 1, 5);
    expect(ATOMICS.add(a, 1, 2)).toBe(5);
    expect(ATOMICS.compareExchange(a, 1, 7, 9)).toBe(7);
    expect(Atomics.load(a, 1)).toBe(9);
  });
});

describe('atomicsWith', () => {
  it('replaces the named operations and keeps every other one', () => {
    const seen: number[] = [];
    const mem: Memory = atomicsWith({ spend: (u) => void seen.push(u) });
    mem.spend(3);
    expect(seen).toEqual([3]);
    expect(mem.load).toBe(Atomics.load);
    expect(ATOMICS.spend).toBe(spend);
  });
});

describe('spend', () => {
  it('leaves the work sink alone for zero or negative units and moves it otherwise', () => {
    const before = workSink();
    spend(0);
    spend(-4);
    expect(workSink()).toBe(before);
    spend(10);
    expect(workSink()).not.toBe(before);
  });
});
