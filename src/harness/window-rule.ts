/**
 * The 2% rule for a measured window: with journal transactions once per tick
 * per file, a window must hold enough whole ticks that doubling it moves
 * faults/s by less than 2% (model/config.ts CONVERGED_WINDOW_TICKS, measured
 * in docs/virtual.md). A shorter window is allowed, with a warning line.
 */
import { CONVERGED_WINDOW_TICKS } from '../model/config.js';

/** The warning for a window of `durationSec` at `hz`, or null when it holds enough ticks. */
export function windowWarning(durationSec: number, hz: number): string | null {
  const ticks = durationSec * hz;
  if (ticks >= CONVERGED_WINDOW_TICKS - 1e-9) return null;
  return (
    `warning: --duration ${durationSec} holds ${+ticks.toFixed(2)} ticks at HZ ${hz}; a window under ` +
    `${CONVERGED_WINDOW_TICKS} ticks (${CONVERGED_WINDOW_TICKS / hz} s) may change faults/s by more than 2% when doubled`
  );
}
