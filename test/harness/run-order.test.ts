/**
 * Run order: interleaved rounds are permutations of the unfinished
 * configurations, seeded; sequential keeps today's order; both give every
 * configuration exactly the runs it wants, fixed or adaptive.
 */
import { describe, expect, it } from 'vitest';

import { runScheduler, type RunOrder } from '../../src/harness/run-order.js';

/** Drives a scheduler to the end; `runsWanted[i]` runs for configuration i. Returns the sequence of configurations run. */
function drive(order: RunOrder, runsWanted: readonly number[], seed = 1): number[] {
  const taken = runsWanted.map(() => 0);
  const s = runScheduler(
    runsWanted.map((_, i) => i),
    order,
    seed,
    (i) => taken[i]! < runsWanted[i]!,
  );
  const seq: number[] = [];
  for (let i: number | null; (i = s.next()) !== null;) {
    taken[i]!++;
    seq.push(i);
    if (seq.length > 10_000) throw new Error('runaway scheduler');
  }
  return seq;
}

const count = (seq: readonly number[], i: number): number => seq.filter((x) => x === i).length;

describe('runScheduler', () => {
  it('sequential: every run of a configuration before the next one', () => {
    expect(drive('sequential', [2, 3, 1])).toEqual([0, 0, 1, 1, 1, 2]);
  });

  it('sequential with runs in flight: stays on a configuration whose finished runs may still want more', () => {
    // Configuration 0 wants another run only after its one in flight ends (an adaptive rule); 1 wants two runs.
    const inFlight = [1, 0];
    const wants = [false, true];
    const s = runScheduler(
      [0, 1],
      'sequential',
      1,
      (i) => wants[i]!,
      (i) => inFlight[i]! > 0,
    );
    // 0 wants nothing now but is busy: the next configuration's run starts beside it, and 0 is not left behind.
    expect(s.next()).toBe(1);
    inFlight[0] = 0;
    wants[0] = true;
    expect(s.next()).toBe(0);
    wants[0] = false;
    wants[1] = false;
    expect(s.next()).toBe(null);
  });

  it('interleaved, fixed runs: each round is a permutation of all configurations', () => {
    const seq = drive('interleaved', [3, 3, 3, 3, 3]);
    expect(seq).toHaveLength(15);
    for (let r = 0; r < 3; r++) expect([...seq.slice(r * 5, r * 5 + 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    // Not the sequential order, and the rounds differ from each other.
    expect(seq.slice(0, 5)).not.toEqual(seq.slice(5, 10));
  });

  it('is the same for the same seed and differs for another', () => {
    const wanted = Array.from({ length: 8 }, () => 4);
    expect(drive('interleaved', wanted, 7)).toEqual(drive('interleaved', wanted, 7));
    expect(drive('interleaved', wanted, 7)).not.toEqual(drive('interleaved', wanted, 8));
  });

  it('adaptive: a finished configuration leaves the rounds, the rest go on one run a round', () => {
    const wanted = [3, 6, 4];
    const seq = drive('interleaved', wanted);
    wanted.forEach((w, i) => expect(count(seq, i)).toBe(w));
    // Rounds 1-3 hold all three; round 4 only 1 and 2; rounds 5-6 only 1.
    expect([...seq.slice(9, 11)].sort()).toEqual([1, 2]);
    expect(seq.slice(11)).toEqual([1, 1]);
  });

  it('skips a configuration that stops wanting runs mid-round (a failure)', () => {
    const failed = new Set<number>();
    const taken = [0, 0, 0];
    const s = runScheduler([0, 1, 2], 'interleaved', 3, (i) => !failed.has(i) && taken[i]! < 2);
    const first = s.next()!;
    taken[first]!++;
    const other = [0, 1, 2].find((i) => i !== first)!;
    failed.add(other);
    const rest: number[] = [];
    for (let i: number | null; (i = s.next()) !== null;) {
      taken[i]!++;
      rest.push(i);
    }
    expect(rest).not.toContain(other);
    expect(taken[other]).toBe(0);
  });
});
