#!/usr/bin/env node
// Builds the native addon (binding.gyp -> build/Release/faultscale.node) with
// `node-gyp rebuild`. Wired as the package's install script, so it runs during
// `npm ci` / `npm install`.
//
// It NEVER exits non-zero: the addon is optional (only the kernel target needs
// it). On failure it writes build/addon-unavailable.txt with a one-line reason
// (read by src/native.ts loadNative()), keeps the full log in
// build/addon-build.log, and prints a one-line notice. On success it removes
// both files.
//
// It works offline: node-gyp is given a local header directory (--nodedir)
// when npm has not already configured one, and if no local Node headers can be
// found the build is not attempted at all (node-gyp would otherwise try to
// download them).
//
// Where node-gyp comes from, first match wins:
//   1. $npm_config_node_gyp (npm sets it to its bundled copy for lifecycle scripts)
//   2. `node-gyp` on PATH
//   3. node-gyp/bin/node-gyp.js resolved from npm's own install directory
//
// Environment:
//   FAULTSCALE_ADDON_FORCE_FAIL=1   do not build; record "forced failure" as the reason
//                                   (and remove any previously built addon), to test
//                                   the unavailable path
//   FAULTSCALE_ADDON_BUILD_TIMEOUT_S  kill node-gyp after this many seconds (default 600)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const markerFile = path.join(buildDir, 'addon-unavailable.txt');
const logFile = path.join(buildDir, 'addon-build.log');
const addonFile = path.join(buildDir, 'Release', 'faultscale.node');

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function oneLine(s) {
  return String(s).replace(/\s+/g, ' ').trim().slice(0, 400);
}

/** Records the reason, removes any stale addon binary, prints a one-line notice. */
function unavailable(reason, log) {
  const line = oneLine(reason) || 'unknown build failure';
  try {
    fs.mkdirSync(buildDir, { recursive: true });
    // A binary left over from an earlier build must not be loaded as if this build had succeeded.
    fs.rmSync(addonFile, { force: true });
    fs.writeFileSync(markerFile, line + '\n');
    if (log !== undefined) fs.writeFileSync(logFile, log);
  } catch {
    // Nothing more we can do; the notice below still says what happened.
  }
  console.log(`faultscale: native addon unavailable (kernel target disabled): ${line}`);
}

function available() {
  fs.rmSync(markerFile, { force: true });
  fs.rmSync(logFile, { force: true });
  console.log('faultscale: native addon built (build/Release/faultscale.node)');
}

/** An executable named `name` on PATH, or undefined. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** npm's install directory (…/lib/node_modules/npm), or undefined. */
function npmDirs() {
  const dirs = [];
  // npm_execpath = …/npm/bin/npm-cli.js when run by npm.
  if (process.env.npm_execpath) dirs.push(path.resolve(path.dirname(process.env.npm_execpath), '..'));
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  dirs.push(path.join(prefix, 'lib', 'node_modules', 'npm')); // Unix layout
  dirs.push(path.join(path.dirname(process.execPath), 'node_modules', 'npm')); // Windows layout
  const npmBin = onPath('npm');
  if (npmBin) {
    try {
      dirs.push(path.resolve(path.dirname(fs.realpathSync(npmBin)), '..'));
    } catch {
      // ignore
    }
  }
  return dirs.filter((d) => isFile(path.join(d, 'package.json')));
}

/** [command, args-prefix] that runs node-gyp, or undefined. */
function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && isFile(fromNpm)) {
    return /\.[cm]?js$/.test(fromNpm) ? [process.execPath, [fromNpm]] : [fromNpm, []];
  }
  const bin = onPath('node-gyp');
  if (bin) return [bin, []];
  for (const dir of npmDirs()) {
    try {
      const req = createRequire(path.join(dir, 'package.json'));
      const js = req.resolve('node-gyp/bin/node-gyp.js');
      return [process.execPath, [js]];
    } catch {
      // not bundled here
    }
  }
  return undefined;
}

function hasHeaders(dir) {
  return (
    isFile(path.join(dir, 'include', 'node', 'node_api.h')) && isFile(path.join(dir, 'include', 'node', 'common.gypi'))
  );
}

/**
 * Extra node-gyp arguments that keep it offline, or a reason string when no
 * local headers exist. npm passes its `nodedir` config as npm_config_nodedir;
 * node-gyp reads that itself, so nothing is added then.
 */
function headerArgs() {
  const configured = process.env.npm_config_nodedir;
  if (configured) {
    return hasHeaders(configured)
      ? { args: [] }
      : { reason: `npm nodedir ${configured} has no include/node/node_api.h` };
  }
  // The headers installed with this node binary (e.g. /usr/bin/node -> /usr/include/node).
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (hasHeaders(prefix)) return { args: [`--nodedir=${prefix}`] };
  // Headers node-gyp downloaded earlier into its cache (node-gyp uses them without a download).
  const version = process.version.replace(/^v/, '');
  const home = process.env.HOME ?? '';
  const cacheDirs = [
    process.env.npm_config_devdir,
    process.env.XDG_CACHE_HOME && path.join(process.env.XDG_CACHE_HOME, 'node-gyp'),
    home && path.join(home, '.cache', 'node-gyp'),
    home && path.join(home, '.node-gyp'),
  ].filter(Boolean);
  for (const d of cacheDirs) {
    if (hasHeaders(path.join(d, version))) return { args: [`--devdir=${d}`] };
  }
  return {
    reason: `no local Node ${process.version} headers (looked in ${prefix}/include/node and the node-gyp cache); not downloading`,
  };
}

/** The first line of a failed build's output that says what went wrong. */
function firstError(output) {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const compiler = lines.find((l) => /(^|\s|:)(fatal )?error:/i.test(l) && !/^gyp ERR!/.test(l));
  if (compiler) return compiler;
  const boring = /^gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok|configure error|build error)\b/;
  const gyp = lines.find((l) => /^gyp ERR!/.test(l) && !boring.test(l));
  if (gyp) return gyp;
  const any = lines.find((l) => /error|not found|cannot|failed/i.test(l) && !boring.test(l));
  return any ?? lines.at(-1) ?? '';
}

function main() {
  if (process.env.FAULTSCALE_ADDON_FORCE_FAIL && process.env.FAULTSCALE_ADDON_FORCE_FAIL !== '0') {
    unavailable('forced failure (FAULTSCALE_ADDON_FORCE_FAIL is set); addon not built');
    return;
  }
  if (process.platform !== 'linux') {
    unavailable(`the addon is Linux-only (RUSAGE_THREAD); platform is ${process.platform}`);
    return;
  }
  if (!isFile(path.join(root, 'binding.gyp'))) {
    unavailable('binding.gyp not found');
    return;
  }
  const gyp = findNodeGyp();
  if (!gyp) {
    unavailable('node-gyp not found ($npm_config_node_gyp, PATH, npm install dir)');
    return;
  }
  const headers = headerArgs();
  if (headers.reason !== undefined) {
    unavailable(headers.reason);
    return;
  }
  const [cmd, prefixArgs] = gyp;
  const timeoutS = Number(process.env.FAULTSCALE_ADDON_BUILD_TIMEOUT_S) || 600;
  const r = spawnSync(cmd, [...prefixArgs, 'rebuild', ...headers.args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutS * 1000,
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  const log = `$ ${[cmd, ...prefixArgs, 'rebuild', ...headers.args].join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) {
    const why =
      r.error.code === 'ETIMEDOUT'
        ? `node-gyp timed out after ${timeoutS}s`
        : `cannot run node-gyp: ${r.error.message}`;
    unavailable(why, log);
    return;
  }
  if (r.status !== 0 || !isFile(addonFile)) {
    const head =
      r.status !== 0
        ? `node-gyp rebuild failed (${r.signal ?? `exit ${r.status}`})`
        : 'node-gyp rebuild produced no build/Release/faultscale.node';
    const detail = firstError(log);
    unavailable(detail ? `${head}: ${detail}` : head, log);
    return;
  }
  available();
}

try {
  main();
} catch (err) {
  unavailable(`build script error: ${err instanceof Error ? err.message : String(err)}`);
}
process.exitCode = 0;
