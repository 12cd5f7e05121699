/**
 * Runs the built CLI (dist/src/commands/bench.js) as a child process, the way a user does.
 * `npm test` compiles before vitest runs, so the build is expected to exist.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = path.join(repoRoot, 'dist', 'src', 'commands', 'bench.js');

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Throws a readable error when a built command is missing, instead of a confusing MODULE_NOT_FOUND status 1. */
export function requireScript(script: string): void {
  if (!fs.existsSync(script)) {
    throw new Error(`${script} does not exist: run \`npx tsc -p tsconfig.json\` (npm test does) before these tests`);
  }
}

/** The same for the bench CLI (no parameters: vitest hooks call it as `beforeAll(requireBuild)`). */
export function requireBuild(): void {
  requireScript(cliPath);
}

/** A command line's arguments written as one line, split at its spaces. */
export const argv = (line: string): string[] => line.split(' ');

/** A fresh empty directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `faultscale-${prefix}-`));
}

/** A tempDir for a whole test file, removed with its contents after the file's tests: call it at module level. */
export function scratchDir(prefix: string): string {
  const dir = tempDir(prefix);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Spawns `node dist/src/commands/bench.js ...args` in `cwd`. Kills it after `timeoutMs`
 * (status null, signal SIGKILL) so a hung sweep fails the test with its output.
 */
export interface RunCliExtra {
  /** Another compiled command to run instead of the bench CLI (e.g. dist/src/commands/calibrate.js). */
  readonly script?: string;
  /** Added to the child's environment. */
  readonly env?: Record<string, string>;
  /** Sees stderr as it arrives (all of it so far), with the child, e.g. to signal it at a given point. */
  readonly onStderr?: (soFar: string, child: ChildProcess) => void;
}

export function runCli(
  args: readonly string[],
  cwd: string,
  timeoutMs = 30_000,
  extra: RunCliExtra = {},
): Promise<CliResult> {
  const script = extra.script ?? cliPath;
  requireScript(script);
  const env = { ...process.env, ...extra.env };
  delete env.FAULTSCALE_DEBUG; // would add a stack to internal errors
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      extra.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** For assertion messages: what the CLI said, trimmed to the end. */
export function describeResult(r: CliResult): string {
  const tail = (s: string) => (s.length > 4000 ? `…${s.slice(-4000)}` : s);
  return `status=${r.status} signal=${r.signal} after ${Math.round(r.ms)} ms\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}
