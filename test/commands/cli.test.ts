/**
 * The CLI as a process: bad input is exactly one `faultscale: ...` line on
 * stderr, nothing on stdout, exit status 2, and no files written; --help
 * lists every option and exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, it } from 'vitest';

import { JOURNAL_NAMES } from '../../src/model/journals/index.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { PROFILE_NAMES } from '../../src/model/profiles.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { WORKLOAD_NAMES } from '../../src/model/workloads.js';
import { argv, describeResult, requireBuild, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('cli');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(() => requireBuild());

// Each case takes well under a second; the limit only guards a loaded CI machine.
const TIMEOUT_MS = 30_000;

let n = 0;
/** A fresh, empty cwd per case, so a default results/ dir would land there and be noticed. */
const freshCwd = (): string => {
  const dir = path.join(root, `case-${++n}`);
  fs.mkdirSync(dir);
  return dir;
};

/** Every path under `dir`, relative, sorted: to show that a rejected run wrote nothing. */
function listTree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `--runs` as a whole word: not the start of `--runs-x`, not inside `---runs`. */
const optionRe = (option: string): RegExp => new RegExp(`(?:^|[^-\\w])${escapeRe(option)}(?![-\\w])`);
/** The user's value, quoted the way the messages quote values. */
const quotedRe = (value: string): RegExp => new RegExp(`['"]${escapeRe(value)}['"]`);

const STACK_MARKERS: readonly RegExp[] = [
  /^\s+at /m, // V8 stack frame
  /\bat .*\(?(?:file|node):.*:\d+:\d+\)?/, // frame with a location
  /node:internal/,
  /\b[A-Z]\w*Error: /, // "TypeError: ...", "UsageError: ..." as printed with a stack
];

interface BadCase {
  readonly name: string;
  readonly args: (cwd: string) => string[];
  readonly option: string;
  /** The offending value as given; null when there is none (missing value, unknown option). */
  readonly value: ((cwd: string) => string) | string | null;
  readonly also?: readonly RegExp[];
  /** Paths the case itself creates in cwd before running. */
  readonly setup?: (cwd: string) => void;
}

const names = (xs: readonly string[]): RegExp[] =>
  xs.map((x) => new RegExp(`(?:^|[\\s,'])${escapeRe(x)}(?=[\\s,.;']|$)`));

const BAD: readonly BadCase[] = [
  {
    name: 'unknown option --bogus',
    args: () => ['--bogus'],
    option: '--bogus',
    value: null,
    also: [/unknown option/i],
  },
  {
    name: 'unknown option next to valid ones',
    args: () => ['--threads', '1', '--bogus', '--runs', '1'],
    option: '--bogus',
    value: null,
    also: [/unknown option/i],
  },
  { name: '--threads 0', args: () => ['--threads', '0'], option: '--threads', value: '0', also: [/\b256\b/] },
  { name: '--threads -1', args: () => ['--threads', '-1'], option: '--threads', value: '-1' },
  { name: '--threads abc', args: () => ['--threads', 'abc'], option: '--threads', value: 'abc' },
  { name: '--threads 257', args: () => ['--threads', '257'], option: '--threads', value: '257', also: [/\b256\b/] },
  { name: '--threads 4-2 (reversed range)', args: () => ['--threads', '4-2'], option: '--threads', value: '4-2' },
  { name: '--threads=0 (inline form)', args: () => ['--threads=0'], option: '--threads', value: '0' },
  {
    name: '--strategy nope',
    args: () => ['--strategy', 'nope'],
    option: '--strategy',
    value: 'nope',
    also: names(STRATEGY_NAMES),
  },
  {
    name: '--strategy with one bad item in a list',
    args: () => ['--strategy', 'none,nope'],
    option: '--strategy',
    value: 'nope',
    also: [/eager-iversion/],
  },
  {
    name: '--journal ext3',
    args: () => ['--journal', 'ext3'],
    option: '--journal',
    value: 'ext3',
    also: names(JOURNAL_NAMES),
  },
  {
    name: '--lock spin',
    args: () => ['--lock', 'spin'],
    option: '--lock',
    value: 'spin',
    also: names([...LOCK_KINDS, 'auto']),
  },
  {
    name: '--profile fast',
    args: () => ['--profile', 'fast'],
    option: '--profile',
    value: 'fast',
    also: names(PROFILE_NAMES),
  },
  {
    name: '--workload x',
    args: () => ['--workload', 'x'],
    option: '--workload',
    value: 'x',
    also: names(WORKLOAD_NAMES),
  },
  { name: '--duration 0', args: () => ['--duration', '0'], option: '--duration', value: '0' },
  { name: '--duration -1', args: () => ['--duration', '-1'], option: '--duration', value: '-1' },
  { name: '--runs 0', args: () => ['--runs', '0'], option: '--runs', value: '0' },
  { name: '--msync-every -1', args: () => ['--msync-every', '-1'], option: '--msync-every', value: '-1' },
  { name: '--msync-every 1.5', args: () => ['--msync-every', '1.5'], option: '--msync-every', value: '1.5' },
  { name: '--time-gran 0', args: () => ['--time-gran', '0'], option: '--time-gran', value: '0' },
  {
    name: '--time-gran 2000000000',
    args: () => ['--time-gran', '2000000000'],
    option: '--time-gran',
    value: '2000000000',
  },
  { name: '--client smb', args: () => ['--client', 'smb'], option: '--client', value: 'smb', also: [/nfsv4/, /nfsv3/] },
  {
    name: '--csv in a directory that does not exist',
    args: () => ['--csv', '/nonexistent-dir/x.csv'],
    option: '--csv',
    value: '/nonexistent-dir/x.csv',
    also: [/does not exist/],
  },
  {
    name: '--csv naming an existing directory',
    setup: (cwd) => fs.mkdirSync(path.join(cwd, 'outdir')),
    args: (cwd) => ['--csv', path.join(cwd, 'outdir')],
    option: '--csv',
    value: (cwd) => path.join(cwd, 'outdir'),
    also: [/directory/],
  },
  {
    name: '--csv naming an existing directory, relative with a trailing slash',
    setup: (cwd) => fs.mkdirSync(path.join(cwd, 'outdir')),
    args: () => ['--csv', 'outdir/'],
    option: '--csv',
    value: (cwd) => `${path.join(cwd, 'outdir')}/`,
    also: [/directory/],
  },
  {
    name: '--json naming an existing directory',
    setup: (cwd) => fs.mkdirSync(path.join(cwd, 'outdir')),
    args: (cwd) => ['--csv', path.join(cwd, 'r.csv'), '--json', path.join(cwd, 'outdir')],
    option: '--json',
    value: (cwd) => path.join(cwd, 'outdir'),
    also: [/directory/],
  },
  {
    name: 'missing value: --runs at the end',
    args: () => ['--runs'],
    option: '--runs',
    value: null,
    also: [/missing value/i],
  },
  {
    name: 'missing value: --runs followed by another option',
    args: () => ['--runs', '--threads', '1'],
    option: '--runs',
    value: null,
    also: [/missing value/i],
  },
];

// Each case is a separate process: run them concurrently (vitest's maxConcurrency, 5 by default).
// Concurrent tests must use the context's expect.
describe.concurrent('bad input: exit 2, one line on stderr, nothing else', () => {
  for (const c of BAD) {
    it(
      c.name,
      async ({ expect }) => {
        const cwd = freshCwd();
        c.setup?.(cwd);
        const before = listTree(cwd);
        const r = await runCli(c.args(cwd), cwd);
        const info = describeResult(r);

        expect(r.signal, info).toBeNull();
        expect(r.status, info).toBe(2);
        expect(r.stdout, info).toBe('');

        // Exactly one non-empty line, newline-terminated.
        expect(r.stderr, info).toMatch(/^[^\n]+\n$/);
        const line = r.stderr.trim();
        expect(line.length, info).toBeGreaterThan(0);
        expect(line, info).not.toContain('\n');
        expect(line, info).not.toContain('\r');
        expect(line.startsWith('faultscale: '), info).toBe(true);
        expect(line.length, info).toBeGreaterThan('faultscale: '.length);

        expect(line, info).toMatch(optionRe(c.option));
        const value = typeof c.value === 'function' ? c.value(cwd) : c.value;
        if (value !== null) expect(line, info).toMatch(quotedRe(value));
        for (const re of c.also ?? []) expect(line, info).toMatch(re);
        for (const re of STACK_MARKERS) expect(r.stderr, info).not.toMatch(re);

        // Rejected before any work: no results/ dir, no CSV, no JSON.
        expect(listTree(cwd), info).toEqual(before);
      },
      TIMEOUT_MS,
    );
  }
});

const ALL_OPTIONS = argv(
  '--threads --strategy --journal --workload --lock --profile --duration --warmup --runs --csv --json --quick --pages --time-scale --hz --observer-interval',
);

describe.concurrent('--help', () => {
  for (const args of [['--help'], ['-h'], ['--bogus', '--help']]) {
    it(
      `${args.join(' ')}: exit 0, every option on stdout, nothing on stderr`,
      async ({ expect }) => {
        const cwd = freshCwd();
        const r = await runCli(args, cwd);
        const info = describeResult(r);
        expect(r.status, info).toBe(0);
        expect(r.stderr, info).toBe('');
        expect(r.stdout, info).toMatch(/^Usage: /);
        for (const opt of ALL_OPTIONS) expect(r.stdout, `${opt} missing from help\n${info}`).toMatch(optionRe(opt));
        // Allowed values are listed too.
        for (const s of [...STRATEGY_NAMES, ...JOURNAL_NAMES, ...WORKLOAD_NAMES, ...LOCK_KINDS, ...PROFILE_NAMES]) {
          expect(r.stdout, `${s} missing from help`).toContain(s);
        }
        expect(listTree(cwd), info).toEqual([]);
      },
      TIMEOUT_MS,
    );
  }
});
