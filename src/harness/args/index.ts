/**
 * The argument layer every command uses (bench, bench:fs, calibrate, compare,
 * report, scenario): node:util parseArgs for the syntax, one option table per
 * command for everything else, and the shared validators and path checks.
 * Owns: option syntax (`--opt VALUE`, `--opt=VALUE`, last occurrence wins,
 * --help winning over any mistake), value validation, --help layout, output
 * path checks. Imports: ../errors.js and the layers below the harness only.
 *
 * How to add an option to a command: add ONE entry to that command's table
 * (e.g. BENCH_OPTIONS in ../options.ts), in the place it should appear in --help:
 *
 *   msyncEvery: valueOption({
 *     name: '--msync-every', metavar: 'N', section: 'Timing',
 *     help: ['msync after every N stores, integer 0 to 1000000; 0 never. Default: 0.'],
 *     parse: (raw, flag) => parseIntIn(flag, raw, 0, 1_000_000),
 *     default: () => 0,
 *   }),
 *
 * (a switch: `flagOption({ name, help })`, its value is whether it was given).
 * The parsed value then appears, typed, as `values.msyncEvery`; the unknown-
 * option message and --help list it without further code. Validators live in
 * values.ts, threads.ts and paths.ts; use the Errors factories for new ones.
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
export * from './values.js';
export * from './threads.js';
export * from './paths.js';
export * from './timestamp.js';
export * from './outputs.js';
