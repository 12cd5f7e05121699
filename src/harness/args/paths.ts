/**
 * Path options: resolving them and checking, before any work starts, that an
 * output can be written and a directory used. Nothing is truncated or left
 * behind: an existing file is opened for writing without truncation, and a
 * new one is tried as a uniquely named probe file, removed at once. (stat and
 * access alone are not enough: root passes every access check, yet cannot
 * create a file in /proc or on a read-only mount.)
 */
import fs from 'node:fs';
import nodePath from 'node:path';

import { Errors } from '../errors.js';

export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/**
 * The directory the user typed the command in, which relative paths are taken
 * from. `npm run` starts scripts in the package root and records where it was
 * started in INIT_CWD; anywhere else (a direct `node` or `faultscale` run, or a
 * caller that chose the working directory) the working directory is it.
 */
export function invocationCwd(
  packageRoot: string | null,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const init = env.INIT_CWD;
  if (
    init &&
    nodePath.isAbsolute(init) &&
    packageRoot !== null &&
    nodePath.resolve(cwd) === nodePath.resolve(packageRoot)
  )
    return init;
  return cwd;
}

/** Resolves against `cwd`; '' is refused. */
export function parsePath(flag: string, raw: string, cwd: string): string {
  if (raw === '') throw Errors.emptyPath(flag);
  // Keep a trailing separator: it says the user named a directory, which checkWritable rejects.
  const resolved = nodePath.resolve(cwd, raw);
  return /[\\/]$/.test(raw) && !resolved.endsWith(nodePath.sep) ? resolved + nodePath.sep : resolved;
}

/**
 * A path option's `parse`: the value resolved against `cwd` (parsePath), then
 * checked (checkWritable, checkCreatable, checkDirectory).
 */
export function checkedPath(cwd: string, check: (flag: string, path: string) => void) {
  return (raw: string, flag: string): string => {
    const path = parsePath(flag, raw, cwd);
    check(flag, path);
    return path;
  };
}

/** The file exists: it must be a writable non-directory. Returns false when it does not exist. */
function checkExisting(flag: string, path: string): boolean {
  if (/[\\/]$/.test(path)) throw Errors.unwritable(flag, path, 'the path names a directory');
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR') throw Errors.unwritable(flag, path, 'a parent in the path is not a directory');
    if (code === 'ENOENT') return false;
    throw Errors.unwritable(flag, path, code ?? String(err));
  }
  if (st.isDirectory()) throw Errors.unwritable(flag, path, 'it is a directory');
  try {
    fs.accessSync(path, fs.constants.W_OK);
    // Write-only, without O_CREAT or O_TRUNC: the file is left exactly as it is.
    fs.closeSync(fs.openSync(path, fs.constants.O_WRONLY));
  } catch (err) {
    throw Errors.unwritable(flag, path, `the file is not writable (${errnoCode(err) ?? String(err)})`);
  }
  return true;
}

/** Creates and removes a probe file in `dir`, so a directory that only looks writable is caught now. */
function probeDirectory(flag: string, path: string, dir: string): void {
  const probe = nodePath.join(dir, `.faultscale-probe-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (err) {
    throw Errors.unwritable(flag, path, `cannot create a file in '${dir}' (${errnoCode(err) ?? String(err)})`);
  }
  fs.rmSync(probe, { force: true });
}

/** Throws a UsageError naming `flag` when `path` could not be opened for writing in its existing directory. */
export function checkWritable(flag: string, path: string): void {
  if (checkExisting(flag, path)) return;
  // The file would be created: its directory must exist and let us add entries.
  const dir = nodePath.dirname(nodePath.resolve(path));
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') throw Errors.unwritable(flag, path, `directory '${dir}' does not exist`);
    if (code === 'ENOTDIR') throw Errors.unwritable(flag, path, 'a parent in the path is not a directory');
    throw Errors.unwritable(flag, path, `cannot stat directory '${dir}' (${code ?? String(err)})`);
  }
  requireWritableDirectory(flag, path, dir, dirStat);
}

/** `dir` (stat'ed as `st`), where `path` is to be written, must be a directory this process can create files in. */
function requireWritableDirectory(flag: string, path: string, dir: string, st: fs.Stats): void {
  if (!st.isDirectory()) throw Errors.unwritable(flag, path, `'${dir}' is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw Errors.unwritable(flag, path, `directory '${dir}' is not writable (${errnoCode(err) ?? String(err)})`);
  }
  probeDirectory(flag, path, dir);
}

/**
 * Like checkWritable, for a file whose missing directories the command creates
 * (mkdir -p): the nearest existing ancestor must be a writable directory.
 */
export function checkCreatable(flag: string, path: string): void {
  if (checkExisting(flag, path)) return;
  for (let dir = nodePath.dirname(path); ; dir = nodePath.dirname(dir)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(dir);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOTDIR') throw Errors.unwritable(flag, path, 'a parent in the path is not a directory');
      if (code !== 'ENOENT') throw Errors.unwritable(flag, path, `cannot stat '${dir}' (${code ?? String(err)})`);
    }
    if (st) {
      requireWritableDirectory(flag, path, dir, st);
      return;
    }
    if (nodePath.dirname(dir) === dir) return;
  }
}

/** An existing directory we can create files in (the kernel target's --dir, calibrate's); else a UsageError naming the flag. */
export function checkDirectory(flag: string, dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    throw Errors.unwritable(
      flag,
      dir,
      errnoCode(err) === 'ENOENT' ? 'it does not exist' : (errnoCode(err) ?? String(err)),
    );
  }
  if (!st.isDirectory()) throw Errors.unwritable(flag, dir, 'it is not a directory');
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw Errors.unwritable(flag, dir, `the directory is not writable (${errnoCode(err) ?? String(err)})`);
  }
  probeDirectory(flag, dir, dir);
}
