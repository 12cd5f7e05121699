/**
 * Emulated work: a loop the compiler cannot remove, spent by each kernel step
 * so that fault and journal costs keep a kernel's proportions. Costs are given
 * in nanoseconds and turned into loop counts once, by calibration.
 */
let sink = 0x9e3779b9;

/**
 * Spend `units` iterations of a multiply-add chain. A step with no work to
 * spend (every step of the zero profile) costs only the test: the loop is a
 * function of its own, so this one stays small enough that the compiler
 * inlines it at every call site without eating into the inlining budget of
 * the fault path around it.
 */
export function spend(units: number): void {
  if (units > 0) spin(units);
}

/** The loop itself; the result feeds `sink` so it stays live. */
function spin(units: number): void {
  let x = sink;
  for (let i = 0; i < units; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  sink = x;
}

/** Read by tests and benchmarks so the optimiser must keep every spend(). */
export function workSink(): number {
  return sink;
}

/** Loop iterations per nanosecond on this machine, from the median of several timed batches. */
export function calibrateUnitsPerNs(): number {
  const batch = 2_000_000;
  spend(batch); // warm up the JIT before timing
  const rates: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    spend(batch);
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push(batch / Math.max(ns, 1));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? 1;
}

/** Spin-wait pause used by lock back-off: a short dependent chain, cheaper than a syscall. */
export function pause(iterations: number): void {
  spend(iterations);
}
