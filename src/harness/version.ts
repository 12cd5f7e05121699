/**
 * Which faultscale build is running: the package version, and, inside a git
 * checkout, its commit and whether tracked files differ from it. Every result
 * row, the JSON context and `--version` name the build this way, so two result
 * files from different commits can be told apart.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { packageRoot } from './package-root.js';

export interface BuildInfo {
  /** package.json's version. */
  readonly packageVersion: string;
  /** The full commit of the checkout; null outside one (an installed package) or without git. */
  readonly commit: string | null;
  /** Whether tracked files differ from that commit; null with no commit. */
  readonly dirty: boolean | null;
}

function packageVersion(root: string | null): string {
  if (root === null) return '0.0.0';
  try {
    const v = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** git's output in `root`, or null when git is missing or `root` is not a checkout. */
function git(root: string, args: readonly string[]): string | null {
  try {
    return execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
  } catch {
    return null;
  }
}

let cached: BuildInfo | undefined;

/** Read once per process: the checkout does not change under a running sweep in any way the rows could show. */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const root = packageRoot();
  const version = packageVersion(root);
  // Only the package's own checkout counts: a faultscale installed inside another repository has no commit of its own.
  const own = root !== null && fs.existsSync(path.join(root, '.git'));
  const head = own ? git(root, ['rev-parse', '--verify', 'HEAD'])?.trim() : undefined;
  if (!head || !/^[0-9a-f]{40,64}$/.test(head))
    return (cached = { packageVersion: version, commit: null, dirty: null });
  // Untracked files (results, notes) do not change what runs; edits to tracked sources do.
  const status = git(root!, ['status', '--porcelain', '--untracked-files=no']);
  return (cached = { packageVersion: version, commit: head, dirty: status === null ? null : status.trim() !== '' });
}

/** `0.1.0+30a095a`, `0.1.0+30a095a.dirty` (semver build metadata), or `0.1.0` outside a checkout. */
export function harnessVersion(info: BuildInfo = buildInfo()): string {
  if (info.commit === null) return info.packageVersion;
  return `${info.packageVersion}+${info.commit.slice(0, 7)}${info.dirty ? '.dirty' : ''}`;
}
