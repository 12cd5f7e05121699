/**
 * The `faultscale` command: --version names the build, an unknown command is
 * one line with a suggestion and exit 2, and every command's help lists -h
 * and its exit codes.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildInfo, harnessVersion } from '../../src/harness/version.js';
import { repoRoot, requireBuild } from '../helpers/cli.js';

const bin = path.join(repoRoot, 'bin', 'faultscale.mjs');
const faultscale = (args: readonly string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

describe('faultscale', () => {
  it('--version names the package version and the commit', () => {
    requireBuild();
    const r = faultscale(['--version']);
    expect(r.status, r.stderr).toBe(0);
    const info = buildInfo();
    expect(r.stdout).toMatch(new RegExp(`^faultscale ${harnessVersion(info).replace(/[.+]/g, '\\$&')}`));
    if (info.commit !== null) expect(r.stdout).toContain(info.commit);
  });

  it('answers an unknown command with one line, the nearest command and exit 2', () => {
    const r = faultscale(['comapre']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^faultscale: "comapre" is not a command; did you mean compare\? commands are bench, [^\n]+\n$/,
    );
  });

  it.each([
    'bench',
    'report',
    'compare',
    'merge',
    'scenario',
    'calibrate',
    'fs',
    'validate',
    'validate-published',
    'docs',
  ])('%s --help lists -h and the exit status', (command) => {
    const r = faultscale([command, '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/--help, -h/);
    expect(r.stdout).toMatch(/exit status/i);
  });
});
