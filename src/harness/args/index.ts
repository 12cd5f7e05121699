/**
 * The argument layer every command uses (bench, bench:fs, calibrate, compare,
 * report, scenario): node:util parseArgs for the syntax, one option table per
 * command for everything else, and the shared validators and path checks.
 * Owns: option syntax (`--opt VALUE`, `--opt=VALUE`, last occurrence wins,
 * --help winning over any mistake), value validation, --help layout, output
 * path checks. Imports: ../errors.js and the layers below the harness only.
 *
 * How to add an option to a command: add ONE entry to that command's table,
 * in the place it should appear in --help. The bench's tables are grouped by
 * the object they fill (../bench-options/: sweep, model, plan, machine,
 * outputs); a model setting, say, is an entry of modelOptions() in
 * ../bench-options/model.ts and a field of ModelSettings (model/config.ts,
 * MODEL_DEFAULTS for one with a default), and, when rows record it, a column
 * named as the field in snake_case (rows/rows.ts COLUMNS):
 *
 *   msyncEvery: valueOption({
 *     name: '--msync-every', metavar: 'N',
 *     help: ['msync after every N stores, integer 0 to 1048576; 0 never. Default: 0.'],
 *     parse: (raw, flag) => parseIntIn(flag, raw, 0, MAX_MSYNC_EVERY),
 *     default: () => MODEL_DEFAULTS.msyncEvery,
 *   }),
 *
 * (a switch: `flagOption({ name, help })`, its value is whether it was given;
 * one name of a list: `oneOfOption(NAMES, DEFAULT, { name, metavar, help })`).
 * The parsed value then appears, typed, as its group's `msyncEvery`; the
 * unknown-option message and --help (under the group's title) list it without
 * further code. Validators live in values.ts, threads.ts and paths.ts; use the
 * Errors factories for new ones.
 *
 * Output options follow one convention in every command: a file a command
 * writes is named by its format (`--csv PATH`, `--json PATH`, `--markdown
 * PATH`, `--html PATH`, `--csv-dir DIR`), and `--format NAME` chooses what is
 * printed on stdout (compare: text, markdown or json; scenario: text or json).
 * Older spellings stay as `aliases` (`--out` for merge's --csv, report's --html
 * and calibrate's --json; `--out-dir` for validate's --csv-dir); scenario's
 * old `--json` switch is refused with a line naming `--format json`, since
 * `--json` everywhere else takes a path.
 */
export * from './spec.js';
export { parseCommandLine, type Parsed } from './parse.js';
export { optionHelp, type HelpLayout } from './help.js';
export { scan, type Positionals, type Scan } from './scan.js';
export * from './groups.js';
export * from './values.js';
export * from './threads.js';
export * from './paths.js';
export * from './timestamp.js';
export * from './outputs.js';
