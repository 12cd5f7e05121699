/**
 * dispatch(): never more than `width` runs in flight, every run taken, the
 * source asked again after a run ends (it may want more then), and nothing
 * new started once halted.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/harness/dispatch.js';

/** Runs that end only when the test says so, in any order it likes. */
function gate() {
  const pending: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const run = (): Promise<void> => {
    running++;
    most = Math.max(most, running);
    return new Promise<void>((resolve) =>
      pending.push(() => {
        running--;
        resolve();
      }),
    );
  };
  return { run, pending, most: () => most, running: () => running };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('dispatch', () => {
  it('keeps at most width runs in flight and takes every one', async () => {
    const g = gate();
    let taken = 0;
    const done = dispatch(
      3,
      () => {
        if (taken === 7) return null;
        taken++;
        return g.run;
      },
      () => false,
    );
    for (let ended = 0; ended < 7; ended++) {
      await settle();
      expect(g.running()).toBeLessThanOrEqual(3);
      // End the newest first: order of completion must not matter.
      g.pending.pop()!();
    }
    await done;
    expect(g.most()).toBe(3);
    expect(taken).toBe(7);
    expect(g.running()).toBe(0);
  });

  it('asks again after a run ends, even after it had none to give', async () => {
    const g = gate();
    let offered = 0;
    let wanted = 1;
    const done = dispatch(
      4,
      () => {
        if (wanted === 0) return null;
        wanted--;
        offered++;
        return g.run;
      },
      () => false,
    );
    await settle();
    expect(offered).toBe(1);
    // The run's result makes its configuration want one more (an adaptive rule).
    wanted = 1;
    g.pending.shift()!();
    await settle();
    expect(offered).toBe(2);
    g.pending.shift()!();
    await done;
    expect(offered).toBe(2);
  });

  it('starts nothing once halted, but waits for the runs in flight', async () => {
    const g = gate();
    let halted = false;
    let started = 0;
    const done = dispatch(
      2,
      () => {
        started++;
        return g.run;
      },
      () => halted,
    );
    await settle();
    expect(started).toBe(2);
    halted = true;
    g.pending.shift()!();
    await settle();
    expect(started).toBe(2);
    let finished = false;
    void done.then(() => (finished = true));
    await settle();
    expect(finished).toBe(false);
    g.pending.shift()!();
    await done;
    expect(started).toBe(2);
  });
});
