/**
 * The bench's --hardware and --topology options (the machine a simulating
 * target runs on), and resolving them against the target once every option
 * is parsed.
 */
import { Errors, listAlternatives } from './errors.js';
import { parseOneName, valueOption } from './args/index.js';
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

/** Option table entries, spread into the bench's table where --help lists them. */
export function hardwareOptions() {
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
    for (const [key, flag] of [['hardware', '--hardware'], ['topology', '--topology']] as const) {
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
  return topology === null || formatTopology(topology) === formatTopology(hw.topology) ? hw : withTopology(hw, topology);
}
