/**
 * The bench's options for how the model's applications, clocks and client
 * behave: --msync-every, --time-gran and --client. Spread into the bench's
 * option table where --help lists them.
 */
import { listAlternatives } from './errors.js';
import { parseIntIn, parseOneName, valueOption } from './args/index.js';
import { CLIENTS, CLIENT_NAMES, type ClientName } from '../model/client.js';
import { MAX_TIME_GRAN_NS, MODEL_DEFAULTS } from '../model/config.js';

/** More stores between two msyncs than any file here has pages. */
export const MAX_MSYNC_EVERY = 1_048_576;

const names = (xs: readonly string[]): string => listAlternatives(xs);

export function modelRunOptions() {
  return {
    msyncEvery: valueOption({
      name: '--msync-every',
      metavar: 'N',
      section: 'Timing',
      help: [
        `Each writer calls msync(MS_ASYNC) on its mapping after every N stores, integer 0 to ${MAX_MSYNC_EVERY}; 0 never.`,
        `Default: ${MODEL_DEFAULTS.msyncEvery}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 0, MAX_MSYNC_EVERY),
      default: () => MODEL_DEFAULTS.msyncEvery as number,
    }),
    timeGranNs: valueOption({
      name: '--time-gran',
      metavar: 'NS',
      section: 'Timing',
      help: [
        `Timestamp granularity (s_time_gran) in nanoseconds, integer 1 to ${MAX_TIME_GRAN_NS}; a clock resolution, not time-scaled.`,
        `1000000000 is ext3 with 128-byte inodes. Default: ${MODEL_DEFAULTS.timeGranNs}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_TIME_GRAN_NS),
      default: () => MODEL_DEFAULTS.timeGranNs as number,
    }),
    client: valueOption({
      name: '--client',
      metavar: 'NAME',
      section: 'Timing',
      help: [
        `What the observer compares: ${names(CLIENT_NAMES)}. Default: ${MODEL_DEFAULTS.client}.`,
        ...CLIENT_NAMES.map((c) => `  ${c}: ${CLIENTS[c]}`),
      ],
      parse: (raw, flag): ClientName => parseOneName(flag, raw, CLIENT_NAMES),
      default: (): ClientName => MODEL_DEFAULTS.client,
    }),
  };
}
