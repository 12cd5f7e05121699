/**
 * The bench's window options: the modelled kernel's HZ, and the measured
 * window and warm-up, which a target may count in ticks (the virtual
 * target's are whole ticks, so every window sees as many per-tick
 * transactions; window-rule.ts warns under the 2% rule's ticks).
 */
import { CONVERGED_WINDOW_TICKS, HZ_VALUES, tickMsOf } from '../model/config.js';
import { TARGETS, type SweepDefaults, type TargetName } from '../targets/index.js';
import { VIRTUAL_SWEEP } from '../targets/virtual/defaults.js';
import { parseNonNegative, parsePositive, valueOption } from './args/index.js';
import { DEFAULTS } from './bench-options.js';
import { Errors, listAlternatives } from './errors.js';

type Got = Readonly<Record<string, unknown>>;

/** The target's sweep limits and defaults (the target option comes first in the table, so it is resolved by now). */
export const sweepOf = (got: Got): SweepDefaults => TARGETS[(got.target as TargetName | undefined) ?? 'model'].sweep;

/** --quick's defaults when --quick was given, else undefined. */
export const quickOf = (got: Got) => (got.quick === true ? DEFAULTS.quick : undefined);

/** A window or warm-up default: the target's ticks at the chosen HZ, or the bench's seconds. */
function inTicks(
  got: Got,
  ticks: number | undefined,
  quickTicks: number | undefined,
  sec: number,
  quickSec: number,
): number {
  const tickSec = tickMsOf(got.hz as number) / 1000;
  if (quickOf(got)) return quickTicks !== undefined ? quickTicks * tickSec : quickSec;
  return ticks !== undefined ? ticks * tickSec : sec;
}

/** Option table entries, spread into the bench's table before the run plan's (HZ first: the others' defaults read it). */
export function windowOptions() {
  const d = DEFAULTS;
  const qd = d.quick;
  return {
    hz: valueOption({
      name: '--hz',
      metavar: 'HZ',
      section: 'Timing',
      help: [
        `The modelled kernel's CONFIG_HZ: ${listAlternatives(HZ_VALUES.map(String))}. The coarse clock (file timestamps) moves once per`,
        `tick, 1000 / HZ model milliseconds. Default: ${d.hz}.`,
      ],
      parse: (raw, flag) => {
        const hz = HZ_VALUES.find((h) => String(h) === raw);
        if (hz === undefined) throw Errors.unknownName(flag, raw, HZ_VALUES.map(String));
        return hz;
      },
      default: (): number => d.hz,
    }),
    durationSec: valueOption({
      name: '--duration',
      metavar: 'SEC',
      section: 'Timing',
      help: [
        `Measured window per run, seconds, > 0 (virtual: seconds of virtual time). Default: ${d.durationSec};`,
        `virtual: ${VIRTUAL_SWEEP.windowTicks} ticks (--quick: ${VIRTUAL_SWEEP.quickWindowTicks}), 1000 / HZ ms each. A window under`,
        `${CONVERGED_WINDOW_TICKS} ticks gets a warning: doubling it may change faults/s by more than 2%.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw),
      default: (got) =>
        inTicks(got, sweepOf(got).windowTicks, sweepOf(got).quickWindowTicks, d.durationSec, qd.durationSec),
    }),
    warmupSec: valueOption({
      name: '--warmup',
      metavar: 'SEC',
      section: 'Timing',
      help: [
        `Unmeasured warm-up before each run, seconds, >= 0. Default: ${d.warmupSec};`,
        `virtual: ${VIRTUAL_SWEEP.warmupTicks} ticks (--quick: ${VIRTUAL_SWEEP.quickWarmupTicks}).`,
      ],
      parse: (raw, flag) => parseNonNegative(flag, raw),
      default: (got) =>
        inTicks(got, sweepOf(got).warmupTicks, sweepOf(got).quickWarmupTicks, d.warmupSec, qd.warmupSec),
    }),
  };
}
