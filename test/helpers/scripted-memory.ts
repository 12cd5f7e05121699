/**
 * A Memory for one CPU of a single-threaded test: the Atomics themselves,
 * except that a sleep does not block. Where the CPU would sleep, the next
 * step of a script runs instead (what another CPU does meanwhile, e.g. the
 * committer's commit), and the sleep then returns as if woken. A sleep with
 * no step left throws: on real threads it would never end.
 */
import { Kernel } from '../../src/model/kernel.js';
import { atomicsWith, type Memory } from '../../src/model/memory.js';
import type { Sim } from '../../src/model/sim.js';

/** What the sleeping CPU sees when a step runs: the slot it sleeps on and the value it sleeps while. */
export interface Sleep {
  readonly slot: number;
  readonly value: number;
}

export interface ScriptedCpu {
  readonly k: Kernel;
  /** The sleeps so far, in order. */
  readonly sleeps: Sleep[];
}

/** CPU `cpu` of the Sim's machine, whose sleeps run `steps` in turn. */
export function scriptedCpu(m: Sim, cpu: number, steps: ((s: Sleep) => void)[]): ScriptedCpu {
  const sleeps: Sleep[] = [];
  const queue = [...steps];
  const mem: Memory = atomicsWith({
    wait(a, i, v) {
      const sleep = { slot: i, value: v };
      sleeps.push(sleep);
      const step = queue.shift();
      if (step === undefined) throw new Error(`CPU ${cpu} would sleep on slot ${i} with nothing left to wake it`);
      step(sleep);
      // The step changed the slot (a wake-up) or the sleeper's condition; either way it returns awake.
      return Atomics.load(a, i) === v ? 'ok' : 'not-equal';
    },
  });
  return { k: new Kernel(m.sab, m.cfg, cpu, () => m.nowUs, mem), sleeps };
}
