/** `npm run scenario -- NAME --json`: the verdicts alone, as one JSON object on stdout. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, repoRoot, requireBuild, runCli, tempDir } from '../helpers/cli.js';

const script = path.join(repoRoot, 'dist', 'src', 'commands', 'scenario.js');
const cwd = tempDir('scenario-json');

beforeAll(() => requireBuild());

describe('scenario --json', () => {
  it('prints {"scenario", "verdicts": [{"strategy", "faulted", "noticed", "after_sec"}]} and nothing else', async () => {
    const r = await runCli(['server-restart', '--json', '--strategy', 'deferred,eager-iversion'], cwd, 30_000, { script });
    expect(r.status, describeResult(r)).toBe(0);
    const out = JSON.parse(r.stdout) as { scenario: string; verdicts: Record<string, unknown>[] };
    expect(out.scenario).toBe('server-restart');
    expect(out.verdicts.map((v) => Object.keys(v).sort())).toEqual([
      ['after_sec', 'faulted', 'noticed', 'strategy'],
      ['after_sec', 'faulted', 'noticed', 'strategy'],
    ]);
    expect(out.verdicts.find((v) => v.strategy === 'eager-iversion')).toEqual({ strategy: 'eager-iversion', faulted: false, noticed: false, after_sec: null });
    expect(out.verdicts.find((v) => v.strategy === 'deferred')).toMatchObject({ noticed: true });
  });

  it('refuses --json with the kernel target: one line, exit 2', async () => {
    const r = await runCli(['writeback-window', '--json', '--target', 'kernel'], cwd, 30_000, { script });
    expect(r.status, describeResult(r)).toBe(2);
    expect(r.stderr).toMatch(/^faultscale: --json: [^\n]+\n$/);
  });
});
