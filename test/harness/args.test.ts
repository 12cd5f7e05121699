/**
 * The argument layer on its own, with a small table: option syntax, help
 * winning over mistakes, defaults that depend on flags, positionals and
 * passthrough, and the --help layouts.
 */
import { describe, expect, it } from 'vitest';

import {
  flagOption,
  helpOption,
  optionHelp,
  parseCommandLine,
  parseIntIn,
  refusedOption,
  valueOption,
} from '../../src/harness/args/index.js';
import { UsageError } from '../../src/harness/errors.js';

const table = {
  runs: valueOption({
    name: '--runs',
    metavar: 'N',
    section: 'Timing',
    help: ['Runs, integer 1 to 9.', 'Default: 5, or 2 with --quick.'],
    parse: (raw, flag) => parseIntIn(flag, raw, 1, 9),
    default: (got) => (got.quick === true ? 2 : 5),
  }),
  name: valueOption<string | null>({
    name: '--name',
    metavar: 'TEXT',
    section: 'Timing',
    help: ['A name.'],
    parse: (raw) => raw,
    default: () => null,
  }),
  quick: flagOption({ name: '--quick', section: 'Output', help: ['Fast.'] }),
  help: helpOption(['This text.'], { section: 'Output', label: '--help, -h' }),
  dir: refusedOption('--dir', true, () => new UsageError('--dir: set here; leave it out', '--dir')),
};

function usage(argv: string[], mode: 'none' | 'allowed' | 'passthrough' = 'none'): UsageError {
  try {
    parseCommandLine(table, argv, mode);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
}

function values(argv: string[]) {
  const r = parseCommandLine(table, argv);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r;
}

describe('parseCommandLine', () => {
  it('takes --opt VALUE and --opt=VALUE, the last occurrence winning, and records what was given', () => {
    const r = values(['--runs', '3', '--name=a=b', '--runs=4']);
    expect(r.values).toEqual({ runs: 4, name: 'a=b', quick: false });
    expect([...r.given].sort()).toEqual(['name', 'runs']);
    expect(r.raw.get('runs')).toBe('4');
  });

  it('computes defaults after the flags, so a flag later on the line still changes them', () => {
    expect(values([]).values.runs).toBe(5);
    expect(values(['--quick']).values.runs).toBe(2);
    expect(values(['--runs', '7', '--quick']).values.runs).toBe(7);
  });

  it('lets --help and -h win over any mistake, before or after it', () => {
    for (const argv of [
      ['--bogus', '--help'],
      ['--runs', '0', '-h'],
      ['--help', '--runs'],
      ['--quick=1', '--help'],
      ['--dir', 'x', '-h'],
    ]) {
      expect(parseCommandLine(table, argv).kind, argv.join(' ')).toBe('help');
    }
  });

  it('reports a forgotten value, and still sees the option that followed it', () => {
    expect(usage(['--runs']).message).toBe('--runs: missing value; write --runs VALUE or --runs=VALUE');
    expect(usage(['--runs', '--quick']).message).toMatch(/^--runs: missing value/);
    // The option after the forgotten value is read as an option: here --help, which wins.
    expect(parseCommandLine(table, ['--runs', '--help']).kind).toBe('help');
    // A value starting with -- is fine inline.
    expect(values(['--name=--odd']).values.name).toBe('--odd');
    // A negative number is a value, checked by the option's own rule.
    expect(usage(['--runs', '-1']).message).toMatch(/^--runs: '-1' is not allowed/);
  });

  it('names unknown options with the list of options (refused ones left out)', () => {
    expect(usage(['--bogus=1']).message).toBe(
      '--bogus: unknown option; options are --runs, --name, --quick, or --help',
    );
    expect(usage(['-x']).message).toMatch(/^'-x': unknown option/);
    expect(usage(['word']).message).toMatch(/^'word': unknown option/);
    expect(usage(['--quick=yes']).message).toBe("--quick: takes no value, but was given 'yes'");
    expect(usage(['--dir', 'x']).message).toBe('--dir: set here; leave it out');
  });

  it('reports the first mistake in argv order', () => {
    expect(usage(['--bogus', '--runs']).message).toMatch(/^--bogus: unknown option/);
    expect(usage(['--runs', '--bogus']).message).toMatch(/^--runs: missing value/);
  });

  it('keeps words as positionals when allowed, and everything after --', () => {
    const r = parseCommandLine(table, ['a', '--runs', '3', '--', '--quick', 'b'], 'allowed');
    expect(r.kind === 'run' && r.positionals).toEqual(['a', '--quick', 'b']);
    expect(r.kind === 'run' && r.values.quick).toBe(false);
    expect(usage(['a', '--bogus'], 'allowed').message).toMatch(/^--bogus: unknown option/);
  });

  it('passes what is not its own through verbatim, in order', () => {
    const r = parseCommandLine(
      table,
      ['--threads', '1,2', '--runs', '3', '--warmup=-1', '-x', 'w', '--quick'],
      'passthrough',
    );
    expect(r.kind === 'run' && r.passthrough).toEqual(['--threads', '1,2', '--warmup=-1', '-x', 'w']);
    expect(r.kind === 'run' && r.values).toEqual({ runs: 3, name: null, quick: true });
  });
});

describe('optionHelp', () => {
  it('lays options out below their names, with sections', () => {
    expect(optionHelp(table, { kind: 'below' })).toEqual([
      '',
      'Timing:',
      '  --runs N',
      '      Runs, integer 1 to 9.',
      '      Default: 5, or 2 with --quick.',
      '  --name TEXT',
      '      A name.',
      '',
      'Output:',
      '  --quick',
      '      Fast.',
      '  --help, -h',
      '      This text.',
    ]);
  });

  it('or in a column', () => {
    expect(optionHelp(table, { kind: 'column', width: 12 })).toEqual([
      '',
      'Timing:',
      '  --runs N    Runs, integer 1 to 9.',
      '              Default: 5, or 2 with --quick.',
      '  --name TEXT A name.',
      '',
      'Output:',
      '  --quick     Fast.',
      '  --help, -h  This text.',
    ]);
  });
});

describe('older spellings (aliases)', () => {
  const aliased = {
    csv: valueOption<string | null>({
      name: '--csv',
      aliases: ['--out'],
      metavar: 'PATH',
      help: ['The CSV.'],
      parse: (raw, flag) => {
        if (raw === '') throw new UsageError(`${flag}: '' is not allowed`, flag);
        return raw;
      },
      default: () => null,
    }),
    help: helpOption(['This text.']),
  };

  it('fill the same value, and messages name the spelling that was typed', () => {
    const r = parseCommandLine(aliased, ['--out', 'a.csv']);
    expect(r.kind === 'run' && r.values.csv).toBe('a.csv');
    expect(() => parseCommandLine(aliased, ['--out='])).toThrow(/^--out: '' is not allowed$/);
    expect(() => parseCommandLine(aliased, ['--out'])).toThrow(/^--out: missing value/);
    expect(() => parseCommandLine(aliased, ['--csv='])).toThrow(/^--csv: '' is not allowed$/);
  });

  it('are named once in --help, which lists -h for every command', () => {
    expect(optionHelp(aliased, { kind: 'below' })).toEqual([
      '  --csv PATH (or --out)',
      '      The CSV.',
      '  --help, -h',
      '      This text.',
    ]);
  });
});
