/**
 * Keeps up to `width` runs in flight: whenever one ends, the next is taken
 * from `next()`, until it has none to give and none is running. A width of
 * one is the plain loop (one run after another). A wider one serves targets
 * whose runs do not share the machine's time (the virtual target: a run's
 * figures are virtual time, whatever else runs beside it), so configurations
 * run at once, one per pool thread.
 *
 * `next()` is asked again after every run ends, even after it said none:
 * a run that ends can make its configuration want another (an adaptive
 * stopping rule decides only on finished runs).
 */
export async function dispatch(
  width: number,
  next: () => (() => Promise<void>) | null,
  halted: () => boolean,
): Promise<void> {
  const running = new Set<Promise<void>>();
  for (;;) {
    while (running.size < width && !halted()) {
      const start = next();
      if (start === null) break;
      const p: Promise<void> = start().finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size === 0) return;
    // Each run catches its own failures (the sweep records them as rows), so race never rejects.
    await Promise.race(running);
  }
}
