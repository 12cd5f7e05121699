/**
 * The model group: the modelled kernel's settings (model/config.ts
 * ModelSettings, with its HZ). Every configuration's model config takes the
 * group whole, and its row records each field in the column of the field's
 * name (build-row.ts), so a setting is declared here and in ModelSettings.
 */
import { Errors, listAlternatives } from '../errors.js';
import {
  oneOfOption,
  optionGroup,
  parseIntIn,
  parseNonNegative,
  parsePositive,
  valueOption,
  type OptionValues,
} from '../args/index.js';
import { CLIENTS, CLIENT_NAMES, type ClientName } from '../../model/client.js';
import { HZ_VALUES, MAX_TIME_GRAN_NS, MODEL_DEFAULTS, tickMsOf, type ModelSettings } from '../../model/config.js';
import { VIRTUAL_SWEEP } from '../../targets/virtual/defaults.js';
import { DEFAULTS, quickOf, sweepOf } from './defaults.js';

const MAX_PAGES = 1048576; // 4 GiB of 4 KiB pages per file
const MAX_TIME_SCALE = 1;
/** More stores between two msyncs than any file here has pages. */
const MAX_MSYNC_EVERY = 1_048_576;

/** Table entries in the order rows record them (HZ before the plan's window: those defaults read it). */
export function modelOptions() {
  const d = DEFAULTS;
  return optionGroup('Model', {
    pages: valueOption({
      name: '--pages',
      metavar: 'N',
      help: [`Pages per file, integer 1 to ${MAX_PAGES}. Default: ${d.pages}; virtual: ${VIRTUAL_SWEEP.pages}.`],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_PAGES),
      default: (got) => sweepOf(got).pages ?? quickOf(got)?.pages ?? d.pages,
    }),
    timeScale: valueOption({
      name: '--time-scale',
      metavar: 'X',
      help: [
        `Model seconds per kernel second, > 0 and at most ${MAX_TIME_SCALE}. Default: ${d.timeScale}; virtual: ${VIRTUAL_SWEEP.timeScale}.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw, MAX_TIME_SCALE),
      default: (got) => sweepOf(got).timeScale ?? d.timeScale,
    }),
    hz: valueOption({
      name: '--hz',
      metavar: 'HZ',
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
    observerIntervalMs: valueOption({
      name: '--observer-interval',
      metavar: 'MS',
      help: [
        `Interval between the observer's getattr calls, milliseconds, >= 0; 0 turns the observer off. Default: ${d.observerIntervalMs};`,
        `virtual: ${VIRTUAL_SWEEP.observerIntervalMs}.`,
      ],
      parse: (raw, flag) => parseNonNegative(flag, raw),
      default: (got) => sweepOf(got).observerIntervalMs ?? d.observerIntervalMs,
    }),
    msyncEvery: valueOption({
      name: '--msync-every',
      metavar: 'N',
      help: [
        `Each writer calls msync(MS_ASYNC) on its mapping after every N stores, integer 0 to ${MAX_MSYNC_EVERY}; 0 never.`,
        `Default: ${MODEL_DEFAULTS.msyncEvery}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 0, MAX_MSYNC_EVERY),
      default: () => MODEL_DEFAULTS.msyncEvery,
    }),
    timeGranNs: valueOption({
      name: '--time-gran',
      metavar: 'NS',
      help: [
        `Timestamp granularity (s_time_gran) in nanoseconds, integer 1 to ${MAX_TIME_GRAN_NS}; a clock resolution, not time-scaled.`,
        `1000000000 is ext3 with 128-byte inodes. Default: ${MODEL_DEFAULTS.timeGranNs}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_TIME_GRAN_NS),
      default: () => MODEL_DEFAULTS.timeGranNs,
    }),
    client: oneOfOption<ClientName>(CLIENT_NAMES, MODEL_DEFAULTS.client, {
      name: '--client',
      metavar: 'NAME',
      help: [
        `What the observer compares: ${listAlternatives(CLIENT_NAMES)}. Default: ${MODEL_DEFAULTS.client}.`,
        ...CLIENT_NAMES.map((c) => `  ${c}: ${CLIENTS[c]}`),
      ],
    }),
  });
}

type ModelValues = OptionValues<ReturnType<typeof modelOptions>['options']>;

/** The modelled kernel's settings, with its HZ: what the group fills. */
export type ModelOptions = ModelSettings & { readonly hz: number };

/** Keys of the group that fill no field of ModelOptions: none may (resolveModel's argument says so). */
type Unfilled = Exclude<keyof ModelValues, keyof ModelOptions>;

/** The parsed group with its tick (1000 / HZ) after HZ, where rows record it. */
export function resolveModel(v: ModelValues & Record<Unfilled, never>): ModelOptions {
  const { pages, timeScale, hz, ...rest } = v;
  return { pages, timeScale, hz, tickMs: tickMsOf(hz), ...rest } satisfies ModelOptions;
}
