/** Output options commands share, spelled by the convention of index.ts: a directory of CSVs, a summary file, the one file a command writes. */
import { checkDirectory, checkedPath, checkWritable } from './paths.js';
import { valueOption, type OptionName, type ValueOption } from './spec.js';

/** `--csv-dir DIR` (old spelling `--out-dir`): where a command keeps the sweeps' CSVs; null: a temporary directory. */
export function csvDirOption(cwd: string, help: string) {
  return valueOption<string | null>({
    name: '--csv-dir',
    aliases: ['--out-dir'],
    metavar: 'DIR',
    help: [help],
    parse: checkedPath(cwd, checkDirectory),
    default: () => null,
  });
}

/** `--json PATH`, `--markdown PATH`: also write the command's results in that format; null: not written. */
export function alsoWriteOption(name: OptionName, cwd: string, help: string) {
  return valueOption<string | null>({
    name,
    metavar: 'PATH',
    help: [help],
    parse: checkedPath(cwd, checkWritable),
    default: () => null,
  });
}

/** `NAME PATH` (old spelling `--out`): the file merge and report write; null: the command derives it. */
export function outFileOption(name: OptionName, help: string, parse: ValueOption<string>['parse']) {
  return valueOption<string | null>({
    name,
    aliases: ['--out'],
    metavar: 'PATH',
    help: [help],
    parse,
    default: () => null,
  });
}
