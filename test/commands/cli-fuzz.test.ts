/**
 * Fuzzing the bench CLI with bad argument vectors built by fast-check from
 * building blocks: unknown flags and stray words, known value options with bad
 * values (inline `--opt=v` or separate), a value missing at the end, `--threads`
 * lists with one bad item, and valid options mixed in around the bad one
 * (never the same option after it, which would override it).
 *
 * Every vector goes through parseBenchArgs in-process, which must throw a
 * UsageError whose message makes one clean line; a stratified sample is also
 * run as `node dist/src/commands/bench.js` in a fresh temp cwd (up to 8 at a time): exit 2,
 * exactly one `faultscale: ` line on stderr (the same line the in-process
 * error gives), nothing on stdout, no stack-trace markers, no files created.
 * A vector that parses as valid is a failure and is never spawned, so the
 * test cannot start a real sweep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { helpText, parseBenchArgs } from '../../src/harness/options.js';
import { describeResult, requireBuild, runCli, tempDir, type CliResult } from '../helpers/cli.js';

const SEED = Number(process.env.FAULTSCALE_FC_SEED ?? 7031);
const IN_PROCESS_RUNS = Number(process.env.FAULTSCALE_CLI_FUZZ_RUNS ?? 400);
const SPAWN_PER_CATEGORY = Number(process.env.FAULTSCALE_CLI_FUZZ_SPAWN ?? 7);
const CORES = os.availableParallelism();
/** Node start-up is CPU-bound: more processes in flight than twice the cores only adds thrashing. */
const CONCURRENCY = Math.max(2, Math.min(8, 2 * CORES));

const root = fs.realpathSync(tempDir('cli-fuzz'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The brief's stack-trace markers, and a few more shapes a printed stack takes. */
const STACK_MARKERS: readonly RegExp[] = [
  /^ {4}at /m,
  /^\s+at \S/m,
  /node:internal/,
  /^\w*Error:/m,
  /\bat .*:\d+:\d+\)?$/m,
];

// ---- building blocks ---------------------------------------------------------

/** Options the CLI knows, read from its own help so new ones are never mistaken for unknown. */
const KNOWN = new Set<string>([...(helpText({ cores: CORES }).match(/--[a-z][a-z-]*/g) ?? []), '-h']);

// Bad values per kind of option, each bad by the rules the help states.
/** Not a number in any of the forms the help allows: every numeric option refuses each. */
const NOT_A_NUMBER = ['', 'abc', '1e3', '0x10', 'NaN', 'Infinity', '4-2', '1,,2'];
const GENERIC = ['0', '-3', '1.5', ...NOT_A_NUMBER, '99999', 'nope'];
const BAD_INT = ['0', '-3', '1.5', ...NOT_A_NUMBER, ' 3', '3 ', '99999999999999999999'];
const BAD_POSITIVE = ['0', '-3', ...NOT_A_NUMBER, '-0', '.', '1.2.3', '+-1'];
const BAD_NON_NEGATIVE = ['-3', ...NOT_A_NUMBER, '-Infinity', '-0.5', '.', '1..2'];
const BAD_THREAD_LIST = [',1', '1,', 'MAX', ' ', '2-', '-', '0-2', '1-257'];
const BAD_THREADS = ['0', '-3', '1.5', ...NOT_A_NUMBER, '99999', '257', ...BAD_THREAD_LIST];
const BAD_NAME_LIST = ['', 'abc', 'nope', '0', 'NaN', '1,,2', 'all,', ',all', 'ALL', 'eager iversion', 'all,nope'];
const BAD_NAME = ['', 'abc', 'nope', '0', 'NaN', 'all', 'TTAS', 'ttas,mcs', ' model', 'auto,ttas'];
const BAD_OUTPUT_PATH = ['', 'no-such-dir/x.csv', '/nonexistent-dir/x.csv', 'dir/', '.', '..', '/'];
const BAD_DIR = ['', 'no-such-dir', '/nonexistent-dir', 'a/b/c'];

const BAD_VALUES: Record<string, readonly string[]> = {
  '--threads': BAD_THREADS,
  '--strategy': BAD_NAME_LIST,
  '--journal': BAD_NAME_LIST,
  '--workload': BAD_NAME_LIST,
  '--lock': BAD_NAME,
  '--profile': BAD_NAME,
  '--target': BAD_NAME,
  '--duration': BAD_POSITIVE,
  '--watchdog': BAD_POSITIVE,
  '--time-scale': [...BAD_POSITIVE, '1.5', '99999', '1.0001'],
  '--hz': [...BAD_POSITIVE, '99999', '250.5', '200'],
  '--warmup': BAD_NON_NEGATIVE,
  '--observer-interval': BAD_NON_NEGATIVE,
  '--runs': [...BAD_INT, '99999', '1001'],
  '--pages': [...BAD_INT, '1048577'],
  '--csv': BAD_OUTPUT_PATH,
  '--json': BAD_OUTPUT_PATH,
  '--dir': BAD_DIR,
};
// Only options the CLI still has (the list above may run ahead of or behind src/options.ts).
const VALUE_FLAGS = Object.keys(BAD_VALUES).filter((f) => KNOWN.has(f));

/** Valid option groups, to mix in around the bad one; their flags are the first element. */
const VALID: readonly (readonly string[])[] = [
  ['--runs', '3'],
  ['--runs=2'],
  ['--duration', '0.5'],
  ['--warmup', '0'],
  ['--threads', '1,2'],
  ['--threads=1-3,max'],
  ['--strategy', 'none,eager'],
  ['--strategy=all'],
  ['--journal', 'all'],
  ['--workload', 'rewrite'],
  ['--lock', 'ttas'],
  ['--profile', 'zero'],
  ['--pages', '16'],
  ['--time-scale', '0.5'],
  ['--hz', '1000'],
  ['--observer-interval', '0'],
  ['--quick'],
  ['--force'],
  ['--keep-going'],
].filter((g) => KNOWN.has(g[0]!.split('=')[0]!));
const flagOf = (arg: string): string => arg.split('=')[0]!;

type Category = 'unknown-flag' | 'bad-value' | 'generic-bad-value' | 'missing-value' | 'threads-list' | 'stray-word';
interface Vector {
  readonly category: Category;
  readonly argv: readonly string[];
}

const unknownFlag = fc
  .oneof(
    fc.constantFrom(
      '--bogus',
      '--thread',
      '--Threads',
      '--THREADS',
      '---runs',
      '--runs-x',
      '--threads\u00a0',
      '--x=1',
      '--quick=1',
      '--force=yes',
      '--help=1',
      '--bad\nline',
      '--tab\there',
      '--esc\u001b[31m',
      '--\u2028sep',
    ),
    fc.stringMatching(/^--[a-z][a-z-]{0,14}$/),
  )
  .filter((a) => !KNOWN.has(flagOf(a)) || a.includes('='));
const strayWord = fc.constantFrom(
  'run',
  'bench',
  '3',
  '-x',
  '-',
  '--',
  '-threads',
  '\u2014threads',
  'ünïcode',
  ' ',
  '',
  '-H',
  '-help',
);

/** A bad value for `flag`, given separately or inline. */
const badValueFor = (flag: string, pool: readonly string[]): fc.Arbitrary<string[]> =>
  fc.tuple(fc.constantFrom(...pool), fc.boolean()).map(([v, inline]) => (inline ? [`${flag}=${v}`] : [flag, v]));

const badValue = fc.constantFrom(...VALUE_FLAGS).chain((flag) => badValueFor(flag, BAD_VALUES[flag]!));
/** The brief's generic pool on the numeric and name options (every item there is bad for these). */
const genericBadValue = fc
  .constantFrom(
    ...['--runs', '--threads', '--lock', '--profile', '--strategy', '--journal', '--workload'].filter((f) =>
      KNOWN.has(f),
    ),
  )
  .chain((flag) => badValueFor(flag, GENERIC));
const missingValue = fc.constantFrom(...VALUE_FLAGS).map((flag) => [flag]);
const GOOD_THREAD_ITEMS = ['1', '2', '3-4', 'max', ' 2', '1-1'];
const threadsList = fc
  .tuple(
    fc.array(fc.constantFrom(...GOOD_THREAD_ITEMS), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('0', '-3', '1.5', 'abc', '257', '4-2', '', ' ', '0-2', '1-999', 'MAX', '1e3', '0x10', 'NaN'),
    fc.nat(),
    fc.boolean(),
  )
  .map(([good, bad, at, inline]) => {
    const items = [...good];
    items.splice(at % (items.length + 1), 0, bad);
    const list = items.join(',');
    return inline ? [`--threads=${list}`] : ['--threads', list];
  });

const blocks: Record<Category, fc.Arbitrary<string[]>> = {
  'unknown-flag': unknownFlag.map((a) => [a]),
  'stray-word': strayWord.map((a) => [a]),
  'bad-value': badValue,
  'generic-bad-value': genericBadValue,
  'missing-value': missingValue,
  'threads-list': threadsList,
};

const validGroups = fc.array(fc.constantFrom(...VALID), { maxLength: 4 });

const vectorArb: fc.Arbitrary<Vector> = fc
  .tuple(fc.constantFrom(...(Object.keys(blocks) as Category[])), validGroups, validGroups)
  .chain(([category, before, after]) =>
    blocks[category].map((bad): Vector => {
      // A missing value must be the last argument; otherwise valid options may follow, but never the bad one's own
      // flag (the last occurrence wins and would make the vector valid).
      const badFlag = flagOf(bad[0]!);
      const tail = category === 'missing-value' ? [] : after.filter((g) => flagOf(g[0]!) !== badFlag);
      return { category, argv: [...before.flat(), ...bad, ...tail.flat()] };
    }),
  );

// ---- checks ------------------------------------------------------------------

/** What is wrong with one stderr text as the CLI's whole complaint (empty when fine). */
function stderrProblems(stderr: string): string[] {
  const bad: string[] = [];
  if (!/^faultscale: [^\n\r]+\n$/.test(stderr)) bad.push('stderr is not exactly one `faultscale: ...` line');
  for (const re of STACK_MARKERS) if (re.test(stderr)) bad.push(`stack-trace marker ${re}`);
  return bad;
}

let stacksSeen = 0;

/** parseBenchArgs on one vector: the UsageError's line, or a description of what went wrong. */
function parseInProcess(argv: readonly string[], cwd: string): { line: string } | { problem: string } {
  let result: unknown;
  try {
    result = parseBenchArgs(argv, { cores: CORES, now: new Date(), cwd });
  } catch (e) {
    if (!(e instanceof UsageError)) {
      if (e instanceof Error && e.stack) stacksSeen++;
      return { problem: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a UsageError` };
    }
    const line = `faultscale: ${e.message}\n`;
    const bad = stderrProblems(line);
    if (bad.some((b) => b.startsWith('stack'))) stacksSeen++;
    return bad.length === 0 ? { line } : { problem: `${bad.join('; ')}: ${JSON.stringify(line)}` };
  }
  return { problem: `accepted: ${JSON.stringify(result).slice(0, 300)}` };
}

const listTree = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();

/** Run `jobs` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, job: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---- the tests -----------------------------------------------------------------

describe('bad argument vectors', () => {
  beforeAll(() => requireBuild());

  it('every generated vector is a UsageError that prints as one clean line, and parsing creates no files', () => {
    const cwd = path.join(root, 'in-process');
    fs.mkdirSync(cwd);
    let tried = 0;
    const perCategory = new Map<Category, number>();
    fc.assert(
      fc.property(vectorArb, (v) => {
        tried++;
        perCategory.set(v.category, (perCategory.get(v.category) ?? 0) + 1);
        const r = parseInProcess(v.argv, cwd);
        if ('problem' in r) throw new Error(`${JSON.stringify(v.argv)} (${v.category}): ${r.problem}`);
      }),
      { numRuns: IN_PROCESS_RUNS, seed: SEED },
    );
    console.log(
      `cli-fuzz in-process: ${tried} vectors tried, ${stacksSeen} stack traces seen; by category ${JSON.stringify(Object.fromEntries(perCategory))}`,
    );
    expect(tried).toBeGreaterThanOrEqual(200);
    expect(stacksSeen).toBe(0);
    expect(listTree(cwd)).toEqual([]);
    for (const c of Object.keys(blocks)) expect(perCategory.get(c as Category) ?? 0, c).toBeGreaterThan(10);
  });

  it('a sample run as the real CLI: exit 2, one `faultscale: ` line, nothing on stdout, no stack, no files', async () => {
    // A deterministic sample with every category, the rest of each category's vectors left to the in-process test.
    const all = fc.sample(vectorArb, { numRuns: 600, seed: SEED + 1 });
    const sample: Vector[] = [];
    for (const c of Object.keys(blocks) as Category[])
      sample.push(...all.filter((v) => v.category === c).slice(0, SPAWN_PER_CATEGORY));

    const failures: string[] = [];
    let stackTraces = 0;
    const results = await pool(sample, CONCURRENCY, async (v, i) => {
      const cwd = path.join(root, `spawn-${i}`);
      fs.mkdirSync(cwd);
      const expected = parseInProcess(v.argv, cwd);
      // Never spawn a vector the parser accepts: it would start a real sweep.
      if ('problem' in expected) return { v, problem: `in-process: ${expected.problem}` };
      const r: CliResult = await runCli(v.argv, cwd);
      return { v, r, cwd, expected: expected.line };
    });
    for (const res of results) {
      const where = `${JSON.stringify(res.v.argv)} (${res.v.category})`;
      if ('problem' in res) {
        failures.push(`${where}: ${res.problem}`);
        continue;
      }
      const { r, cwd, expected } = res;
      const bad: string[] = [];
      if (r.status !== 2 || r.signal !== null) bad.push(`exit ${r.status} signal ${r.signal}, want 2`);
      if (r.stdout !== '') bad.push('wrote to stdout');
      const problems = stderrProblems(r.stderr);
      if (problems.some((p) => p.startsWith('stack'))) stackTraces++;
      bad.push(...problems);
      if (problems.length === 0 && r.stderr !== expected)
        bad.push(`stderr differs from the in-process error ${JSON.stringify(expected)}`);
      const files = listTree(cwd);
      if (files.length > 0) bad.push(`created ${files.join(', ')}`);
      if (bad.length > 0) failures.push(`${where}: ${bad.join('; ')}\n${describeResult(r)}`);
    }
    console.log(
      `cli-fuzz spawned: ${sample.length} vectors run as processes, ${stackTraces} stack traces seen, ${failures.length} failures`,
    );
    expect(sample.length).toBeGreaterThanOrEqual(40);
    expect(stackTraces).toBe(0);
    expect(failures).toEqual([]);
  }, 120_000);
});
