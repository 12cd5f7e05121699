/**
 * Bad input as the bench's parser reports it: the UsageError `parseBenchArgs`
 * throws for `argv`, checked to be one line. Fails the test when it parses.
 */
import { expect } from 'vitest';
import { UsageError } from '../../src/harness/errors.js';
import { parseBenchArgs, type BenchEnv } from '../../src/harness/options.js';

export function usageError(argv: string[], env: BenchEnv): UsageError {
  try {
    parseBenchArgs(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as UsageError;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}
