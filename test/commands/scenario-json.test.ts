/**
 * `faultscale scenario NAME --format json`: the verdicts alone, as one JSON
 * object on stdout, for the model and for the live kernel (skipped, with the
 * reason in its name, where the native addon is unavailable, except under
 * CI=true, where it runs and fails).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, repoRoot, requireBuild, runCli, tempDir } from '../helpers/cli.js';
import { loadNative } from '../../src/targets/kernel/native.js';

const native = loadNative();
const kernelRuns = native.ok || process.env.CI === 'true';

const script = path.join(repoRoot, 'dist', 'src', 'commands', 'scenario.js');
const cwd = tempDir('scenario-json');

beforeAll(() => requireBuild());

describe('scenario --format json', () => {
  it('prints {"scenario", "verdicts": [{"strategy", "faulted", "noticed", "after_sec"}]} and nothing else', async () => {
    const r = await runCli(
      ['server-restart', '--format', 'json', '--strategy', 'deferred,eager-iversion'],
      cwd,
      30_000,
      { script },
    );
    expect(r.status, describeResult(r)).toBe(0);
    const out = JSON.parse(r.stdout) as { scenario: string; verdicts: Record<string, unknown>[] };
    expect(out.scenario).toBe('server-restart');
    expect(out.verdicts.map((v) => Object.keys(v).sort())).toEqual([
      ['after_sec', 'faulted', 'noticed', 'strategy'],
      ['after_sec', 'faulted', 'noticed', 'strategy'],
    ]);
    expect(out.verdicts.find((v) => v.strategy === 'eager-iversion')).toEqual({
      strategy: 'eager-iversion',
      faulted: false,
      noticed: false,
      after_sec: null,
    });
    expect(out.verdicts.find((v) => v.strategy === 'deferred')).toMatchObject({ noticed: true });
  });

  it.skipIf(!kernelRuns)(
    `prints the live kernel's verdict in the same shape, with the kernel and filesystem${kernelRuns ? '' : ` (skipped: native addon unavailable: ${native.ok ? '' : native.reason})`}`,
    async () => {
      const r = await runCli(['writeback-window', '--format', 'json', '--target', 'kernel'], cwd, 60_000, { script });
      expect(r.status, describeResult(r)).toBe(0);
      const out = JSON.parse(r.stdout) as {
        scenario: string;
        target: string;
        kernel: string;
        verdicts: Record<string, unknown>[];
      };
      expect(out).toMatchObject({ scenario: 'writeback-window', target: 'kernel' });
      expect(out.kernel).not.toBe('');
      expect(out.verdicts).toHaveLength(1);
      expect(Object.keys(out.verdicts[0]!).sort()).toEqual([
        'after_sec',
        'faulted',
        'faults',
        'fs',
        'noticed',
        'strategy',
      ]);
    },
  );

  it('answers the old --json switch with one line naming --format json, exit 2', async () => {
    const r = await runCli(['server-restart', '--json'], cwd, 30_000, { script });
    expect(r.status, describeResult(r)).toBe(2);
    expect(r.stderr).toMatch(/^faultscale: --json: write --format json [^\n]+\n$/);
  });
});
