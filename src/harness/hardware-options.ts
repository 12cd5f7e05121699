/**
 * The bench's --hardware and --topology options (the machine a simulating
 * target runs on) and --jobs (how many of its runs go at once), and
 * resolving them against the target once every option is parsed.
 */
import { Errors, listAlternatives } from './errors.js';
import { parseIntIn, parseOneName, valueOption } from './args/index.js';
import { HARDWARE_TARGETS, TARGETS, type TargetName } from '../targets/index.js';
import { cpusOf, type Hardware, type Topology } from '../targets/virtual/hardware.js';
import {
  DEFAULT_HARDWARE,
  HARDWARE_NAMES,
  HARDWARE_PRESETS,
  MAX_VIRTUAL_CPUS,
  formatTopology,
  loadHardware,
  parseTopology,
  withTopology,
  type HardwareName,
} from '../targets/virtual/hardware-presets.js';

const names = (xs: readonly string[]): string => listAlternatives(xs);

/** Most runs a simulating target takes at once (as many as --threads allows writers). */
export const MAX_JOBS = 256;

/** Option table entries, spread into the bench's table where --help lists them; `cores` is --jobs' default. */
export function hardwareOptions(cores: number) {
  return {
    hardware: valueOption({
      name: '--hardware',
      metavar: 'NAME',
      section: 'Timing',
      help: [
        `Machine a simulating target runs on: ${names(HARDWARE_NAMES)}. Default: ${DEFAULT_HARDWARE}.`,
        ...HARDWARE_NAMES.map((h) => `  ${h}: ${HARDWARE_PRESETS[h].about}`),
      ],
      parse: (raw, flag): HardwareName => parseOneName(flag, raw, HARDWARE_NAMES),
      default: (): HardwareName => DEFAULT_HARDWARE,
    }),
    topology: valueOption<Topology | null>({
      name: '--topology',
      metavar: 'SxCxT',
      section: 'Timing',
      help: [
        `Overrides the machine's topology: sockets x cores per socket x threads per core (e.g. 8x10x2), at most ${MAX_VIRTUAL_CPUS} CPUs.`,
        "Default: the preset's own.",
      ],
      parse: (raw, flag) => {
        const t = parseTopology(raw);
        if (t === null) throw Errors.badTopology(flag, raw);
        if (cpusOf(t) > MAX_VIRTUAL_CPUS) throw Errors.topologyTooBig(flag, raw, cpusOf(t), MAX_VIRTUAL_CPUS);
        return t;
      },
      default: () => null,
    }),
    jobs: valueOption({
      name: '--jobs',
      metavar: 'N',
      section: 'Timing',
      help: [
        `Runs a simulating target takes at once, one per pool thread, integer 1 to ${MAX_JOBS}. Its figures are`,
        `virtual time, so they do not depend on this; only the wall-clock time does. Default: the cores (${cores}).`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_JOBS),
      default: () => cores,
    }),
  };
}

/**
 * The machine of a simulating target: the preset (this-host read from its
 * calibration file) with --topology applied. For the other targets the two
 * options are mistakes, and the default preset stands in, unused.
 */
export function resolveHardware(
  target: TargetName,
  name: HardwareName,
  topology: Topology | null,
  raw: ReadonlyMap<string, string>,
  cwd: string,
  simulates: boolean = TARGETS[target].simulatesHardware,
): Hardware {
  if (!simulates) {
    for (const [key, flag] of [
      ['hardware', '--hardware'],
      ['topology', '--topology'],
      ['jobs', '--jobs'],
    ] as const) {
      if (raw.has(key)) throw Errors.notForTarget(flag, target, HARDWARE_TARGETS);
    }
    return loadHardware(DEFAULT_HARDWARE, cwd);
  }
  let hw: Hardware;
  try {
    hw = loadHardware(name, cwd);
  } catch (e) {
    throw Errors.unusable('--hardware', name, (e as Error).message);
  }
  return topology === null || formatTopology(topology) === formatTopology(hw.topology)
    ? hw
    : withTopology(hw, topology);
}
