/**
 * page_mkclean's price: each live PTE it write-protects needs a TLB
 * shoot-down, an interrupt on every other CPU mapping the file, which that
 * CPU takes (and spends) at its next interrupt check.
 */
import { describe, expect, it } from 'vitest';
import { C_IPI_PENDING, CPU_COUNTERS, cpuAt } from '../../src/model/layout.js';
import { Kernel } from '../../src/model/kernel.js';
import { makeModel, type Model } from '../helpers/model.js';

const pending = (m: Model, cpu: number): number =>
  Atomics.load(m.i32, cpuAt(m.cfg.layout, cpu) + CPU_COUNTERS + C_IPI_PENDING);

describe('TLB shoot-downs', () => {
  it('writeback of a page two writers map live interrupts both; an unmapped writer is not interrupted', () => {
    const m = makeModel('none', { workload: 'shared-file', writers: 2, pages: 4 });
    m.k.mmap(0, 1);
    m.k.mmap(1, 1);
    m.k.store(0, 0, 1);
    m.k.store(1, 0, 1);
    m.k.store(0, 1, 1);
    m.k.store(1, 2, 1);
    // The flusher is another CPU than either writer.
    const flusher = new Kernel(m.sab, m.cfg, 2, () => 0);
    expect(flusher.writebackInode(0)).toBe(3);
    expect(pending(m, 0)).toBe(2);
    expect(pending(m, 1)).toBe(2);
    expect(m.count('wrprotects')).toBe(4);
    m.k.takeInterrupts();
    expect(m.count('ipis')).toBe(2);
    expect(pending(m, 0)).toBe(0);
    // Writer 1 stores again and unmaps: its PTE is gone with the mapping, so the next writeback spares it.
    m.k.store(1, 3, 1);
    m.k.munmap(1, 1);
    expect(flusher.writebackInode(0)).toBe(1);
    expect(pending(m, 1)).toBe(2);
  });

  it('a CPU write-protecting its own mapping flushes locally: no interrupt', () => {
    const m = makeModel('deferred', { pages: 2 });
    m.k.mmap(0, 1);
    m.k.store(0, 0, 1);
    m.k.store(0, 1, 1);
    m.k.msync(0, 1, 1, 2, false);
    expect(m.count('wrprotects')).toBe(2);
    expect(pending(m, 0)).toBe(0);
  });

  it('wrprotect-on-query: a getattr on the observer CPU interrupts the writer once per live dirty page', () => {
    const m = makeModel('wrprotect-on-query', { pages: 8 });
    m.k.mmap(0, 1);
    for (let p = 0; p < 5; p++) m.k.store(0, p, 1);
    const observer = new Kernel(m.sab, m.cfg, 1, () => 0);
    observer.getattr(0, { iversion: 0, mtime: 0, ctime: 0 });
    expect(pending(m, 0)).toBe(5);
    // Already protected: a second query finds no live PTE, so no further interrupt.
    observer.getattr(0, { iversion: 0, mtime: 0, ctime: 0 });
    expect(pending(m, 0)).toBe(5);
  });
});
