/**
 * Builds faultscale once, when its sources change, not on every run: the
 * `faultscale` command (and every npm script that runs one) calls
 * ensureBuilt(), which compiles with tsc only when a source under src/,
 * workers/ or bench/ (or tsconfig.json) is newer than the last build's stamp.
 * `npm install` builds through `prepare`; `npm run build` stamps its build
 * (`node scripts/ensure-built.mjs --stamp`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const SOURCES = ['src', 'workers', 'bench'];

/** The newest modification time (ms) of the TypeScript sources and the compiler settings. */
function newestSource() {
  let newest = fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCES) walk(path.join(ROOT, d));
  return newest;
}

const stampTime = () => {
  try {
    return fs.statSync(STAMP).mtimeMs;
  } catch {
    return -Infinity;
  }
};

/** Marks the build as made from the sources as they were at `startedMs`. */
export function stamp(startedMs = Date.now()) {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, '');
  const t = new Date(startedMs);
  fs.utimesSync(STAMP, t, t);
}

/** Compiles when the build is missing or older than a source; says so on stderr. Returns whether it built. */
export function ensureBuilt() {
  if (stampTime() >= newestSource()) return false;
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const hasBuild = fs.existsSync(path.join(ROOT, 'dist', 'src', 'commands'));
  if (!fs.existsSync(tsc)) {
    // An install without the compiler runs the build it came with.
    if (hasBuild) return false;
    process.stderr.write(
      'faultscale: not built, and TypeScript is not installed: run npm install in the faultscale directory\n',
    );
    process.exit(1);
  }
  process.stderr.write(
    `faultscale: ${hasBuild ? 'sources changed since the last build' : 'no build yet'}: compiling (tsc), once\n`,
  );
  // Sources edited while tsc runs are newer than this, so the next run builds again.
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write(
      `faultscale: the build failed (tsc ${r.signal ?? `exit ${r.status}`}); fix the errors above and run again\n`,
    );
    process.exit(1);
  }
  stamp(started);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--stamp') stamp();
  else ensureBuilt();
}
