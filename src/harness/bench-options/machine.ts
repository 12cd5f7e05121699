/**
 * The machine group: where the writers run. How (threads or processes), in
 * which directory (the kernel target's files), on which simulated machine
 * and topology, and how many simulated runs go at once. The group, with its
 * machine resolved against the target, is what a target is made with.
 */
import os from 'node:os';

import { Errors, UsageError, listAlternatives, quote } from '../errors.js';
import {
  checkDirectory,
  oneOfOption,
  optionGroup,
  parseIntIn,
  checkedPath,
  valueOption,
  type OptionValues,
} from '../args/index.js';
import { HARDWARE_TARGETS, TARGETS, type TargetName } from '../../targets/index.js';
import { WRITER_MODES, type WriterMode } from '../../targets/target.js';
import { cpusOf, type Hardware, type Topology } from '../../targets/virtual/hardware.js';
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
} from '../../targets/virtual/hardware-presets.js';
import type { BenchEnv } from './defaults.js';

/** Most runs a simulating target takes at once (as many as --threads allows writers). */
const MAX_JOBS = 256;

export function machineOptions(env: BenchEnv) {
  return optionGroup('Machine', {
    mode: oneOfOption<WriterMode>(WRITER_MODES, 'threads', {
      name: '--mode',
      metavar: 'MODE',
      help: [
        `How the writers run, as will-it-scale's two flavours: ${listAlternatives(WRITER_MODES)}. Default: threads.`,
        '  threads: every writer a thread of this process; processes: one process per writer, each with its own',
        '  address space (--target kernel only: the model lives in one shared memory).',
      ],
    }),
    dir: valueOption({
      name: '--dir',
      metavar: 'PATH',
      help: ['Directory the kernel target creates its files in. Default: the OS temp directory.'],
      parse: checkedPath(env.cwd, checkDirectory),
      default: () => os.tmpdir(),
    }),
    hardwareName: oneOfOption<HardwareName>(HARDWARE_NAMES, DEFAULT_HARDWARE, {
      name: '--hardware',
      metavar: 'NAME',
      help: [
        `Machine a simulating target runs on: ${listAlternatives(HARDWARE_NAMES)}. Default: ${DEFAULT_HARDWARE}.`,
        ...HARDWARE_NAMES.map((h) => `  ${h}: ${HARDWARE_PRESETS[h].about}`),
      ],
    }),
    topology: valueOption<Topology | null>({
      name: '--topology',
      metavar: 'SxCxT',
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
      help: [
        `Runs a simulating target takes at once, one per pool thread, integer 1 to ${MAX_JOBS}. Its figures are`,
        `virtual time, so they do not depend on this; only the wall-clock time does. Default: the cores (${env.cores}).`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_JOBS),
      default: () => env.cores,
    }),
  });
}

type MachineValues = OptionValues<ReturnType<typeof machineOptions>['options']>;

/** Where the writers run, with the machine a simulating target runs on. */
export type MachineOptions = MachineValues & {
  /** The preset with --topology applied; the default preset for targets that run on this machine (unused). */
  readonly hardware: Hardware;
};

/** The parsed group with its machine resolved for `target`, and its mode checked against it. */
export function resolveMachine(
  v: MachineValues,
  target: TargetName,
  raw: ReadonlyMap<string, string>,
  cwd: string,
): MachineOptions {
  const hardware = resolveHardware(target, v.hardwareName, v.topology, raw, cwd);
  if (v.mode !== 'threads' && target !== 'kernel') {
    throw new UsageError(
      `--mode: ${quote(v.mode)} needs --target kernel; the ${target} target runs its writers as threads`,
      '--mode',
    );
  }
  return { ...v, hardware };
}

/**
 * The machine of a simulating target: the preset (this-host read from its
 * calibration file) with --topology applied. For the other targets the
 * machine's options are mistakes, and the default preset stands in, unused.
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
      ['hardwareName', '--hardware'],
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
