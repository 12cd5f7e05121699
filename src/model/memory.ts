/**
 * How the model reaches shared memory. Every step of the model that another
 * CPU can see (a load, a store, a read-modify-write, a sleep, a wake-up, the
 * emulated work of a kernel step) goes through a `Memory`, never through the
 * Atomics global directly. On real threads the Memory is `ATOMICS`: the
 * Atomics functions themselves, so a call site compiles to the same builtin
 * call it would make without this indirection. A virtual-time target passes
 * a Memory of its own that performs the same operations on the same array
 * and charges each one to a virtual CPU's clock through a coherence model,
 * which is how the code that runs on threads is the code that is simulated.
 *
 * The signatures are those of Atomics, array first, so that both kinds of
 * Memory see exactly the operations the model makes.
 */
import type { LockKind } from './locks/kinds.js';
import { pause, spend } from './work.js';

export interface Memory {
  load(a: Int32Array, i: number): number;
  store(a: Int32Array, i: number, v: number): number;
  add(a: Int32Array, i: number, v: number): number;
  sub(a: Int32Array, i: number, v: number): number;
  and(a: Int32Array, i: number, v: number): number;
  or(a: Int32Array, i: number, v: number): number;
  exchange(a: Int32Array, i: number, v: number): number;
  compareExchange(a: Int32Array, i: number, expected: number, replacement: number): number;
  /** Sleep while a[i] === v (Atomics.wait). A Memory that cannot block throws instead. */
  wait(a: Int32Array, i: number, v: number, timeoutMs?: number): 'ok' | 'not-equal' | 'timed-out';
  notify(a: Int32Array, i: number, count?: number): number;
  /** Emulated work of a kernel step, in work-loop units (see work.ts). */
  spend(units: number): void;
  /** One back-off round of a spinning waiter, in work-loop units. */
  pause(units: number): void;
  /**
   * The lock at `base` (its first slot) is now held by this CPU: called by
   * every lock kind once the acquisition succeeded. `stat` is this CPU's
   * statistics slot for the lock's class (layout.ts lockStatAt), which names
   * the class. Real threads ignore it; a virtual-time Memory charges the
   * waiting a lock's algorithm implies, since there every operation runs
   * atomically and a lock is always free when taken.
   */
  lockAcquired(base: number, kind: LockKind, shared: boolean, stat: number): void;
  /** The lock at `base` is about to be released by this CPU (called before the releasing store). */
  lockReleased(base: number, kind: LockKind, shared: boolean, stat: number): void;
}

const ignoreLock = (_base: number, _kind: LockKind, _shared: boolean, _stat: number): void => {};

/**
 * Real threads: the Atomics builtins, and work that really spins. They sit on
 * the prototype of ATOMICS, not on ATOMICS itself: a method found on a
 * prototype is a constant to the compiler once the receiver's shape is
 * checked, so `mem.load(a, i)` compiles to the same direct builtin call as
 * `Atomics.load(a, i)`. As own properties they would be loaded and compared
 * with the expected function at every call. Being builtins, they also have no
 * bytecode to count against the inlining budget of the code that calls them.
 */
const ATOMICS_PROTOTYPE: Memory = {
  load: Atomics.load,
  store: Atomics.store,
  add: Atomics.add,
  sub: Atomics.sub,
  and: Atomics.and,
  or: Atomics.or,
  exchange: Atomics.exchange,
  compareExchange: Atomics.compareExchange,
  wait: Atomics.wait,
  notify: Atomics.notify,
  spend,
  pause,
  lockAcquired: ignoreLock,
  lockReleased: ignoreLock,
};

export const ATOMICS: Memory = Object.create(ATOMICS_PROTOTYPE) as Memory;

/**
 * ATOMICS with some operations replaced, for a Memory that watches or
 * perturbs chosen operations. (Spreading ATOMICS would copy nothing: its
 * operations are inherited, not own properties.)
 */
export function atomicsWith(overrides: Partial<Memory>): Memory {
  return Object.assign(Object.create(ATOMICS) as Memory, overrides);
}
