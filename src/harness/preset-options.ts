/**
 * The bench's --preset option (filesystems as given kernels had them), and
 * its checks against the other options once every option is parsed: a
 * preset fixes journal, strategy, lock and time granularity, so those options
 * beside it are mistakes, as is a target that does not run the model kernel.
 */
import { Errors, UsageError, listAlternatives } from './errors.js';
import { parseNames, valueOption } from './args/index.js';
import { FS_PRESETS, FS_PRESET_NAMES, type FsPresetName } from '../model/fs-presets.js';
import { MODEL_KERNEL_TARGETS, TARGETS, type TargetName } from '../targets/index.js';

/** Option table entry, spread into the bench's table where --help lists it. */
export function presetOptions() {
  return {
    presets: valueOption<FsPresetName[]>({
      name: '--preset',
      metavar: 'LIST',
      section: 'Sweep',
      help: [
        `Filesystem presets: ${listAlternatives([...FS_PRESET_NAMES, 'all'])}; each sets journal, strategy, hot-lock kind,`,
        'time granularity and fault path as that kernel had them (so not with --journal, --strategy, --lock or --time-gran). Default: none.',
        ...FS_PRESET_NAMES.map((p) => `  ${p}: ${FS_PRESETS[p].about}`),
      ],
      parse: (raw, flag) => parseNames(flag, raw, FS_PRESET_NAMES),
      default: () => [],
    }),
  };
}

/** The options a preset sets, by table key. */
const SET_BY_PRESET = [
  ['journals', '--journal'],
  ['strategies', '--strategy'],
  ['lock', '--lock'],
  ['timeGranNs', '--time-gran'],
] as const;

/** Throws a UsageError when presets are combined with what they set, or with a target that does not run the model kernel. */
export function checkPresets(presets: readonly FsPresetName[], target: TargetName, given: ReadonlySet<string>): void {
  if (presets.length === 0) return;
  for (const [key, flag] of SET_BY_PRESET) {
    if (given.has(key)) {
      throw new UsageError(
        `${flag}: cannot be combined with --preset, which sets the journal, strategy, lock and time granularity; drop one of them`,
        flag,
      );
    }
  }
  if (!TARGETS[target].runsModelKernel) throw Errors.notForTarget('--preset', target, MODEL_KERNEL_TARGETS);
}
