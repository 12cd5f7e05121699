/** The real host and effects for bench:fs: tool lookup, /proc/filesystems, spawnSync and spawn. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import type { HostEnv } from './plan.js';
import type { Effects, ExecResult } from './effects.js';

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

export function realHost(): HostEnv {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    which(tool) {
      const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d !== ''), ...SBIN];
      for (const d of dirs) {
        const p = nodePath.join(d, tool);
        try {
          if (fs.statSync(p).isFile()) {
            fs.accessSync(p, fs.constants.X_OK);
            return p;
          }
        } catch {
          // not here
        }
      }
      return null;
    },
    kernelHasFs(fsName) {
      try {
        const listed = fs
          .readFileSync('/proc/filesystems', 'utf8')
          .split('\n')
          .some((l) => l.split('\t').at(-1)?.trim() === fsName);
        if (listed) return true;
      } catch {
        return null;
      }
      return fs.existsSync(`/lib/modules/${os.release()}`) ? null : false;
    },
  };
}

function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points at or below `dir` in a /proc/self/mounts text. */
export function mountPointsUnder(mountsText: string, dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  return mountsText
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((f): f is string => f !== undefined)
    .map(unescapeMountField)
    .filter((mp) => mp === base || mp.startsWith(`${base}/`));
}

/** Runs `cmd` to completion with its output captured; SIGKILL after `timeoutMs`. */
export function execCaptured(cmd: string, args: readonly string[], timeoutMs: number): ExecResult {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ...(r.error ? { error: r.error.message } : {}),
  };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Forwards a stream's lines to `write`, each prefixed. */
function lineForwarder(prefix: string, write: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let buf = '';
  return {
    push(chunk) {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        write(`${prefix}${buf.slice(0, nl)}`);
        buf = buf.slice(nl + 1);
      }
    },
    flush() {
      if (buf !== '') write(`${prefix}${buf}`);
      buf = '';
    },
  };
}

export function realEffects(opts: {
  benchCli: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}): Effects {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = opts.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    exec: (cmd, args) => execCaptured(cmd, args, 600_000),
    spawnBench(args, label) {
      const child = spawn(process.execPath, [opts.benchCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const fwd = lineForwarder(`  [${label}] `, err);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        fwd.push(d);
      });
      const done = new Promise<ExecResult>((resolve) => {
        child.on('error', (e) => resolve({ status: null, signal: null, stdout, stderr, error: e.message }));
        child.on('close', (status, signal) => {
          fwd.flush();
          resolve({ status, signal, stdout, stderr });
        });
      });
      return {
        done,
        ...(child.pid === undefined ? {} : { pid: child.pid }),
        kill(sig) {
          try {
            child.kill(sig);
          } catch {
            // already gone
          }
        },
        waitExitSync(ms) {
          const pid = child.pid;
          if (pid === undefined) return true;
          const deadline = Date.now() + ms;
          for (;;) {
            if (child.exitCode !== null || child.signalCode !== null) return true;
            let stat: string;
            try {
              stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
            } catch {
              return true; // reaped
            }
            // Not yet reaped (the event loop is blocked), so the pid is still our child's: a zombie has exited.
            const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            if (state === 'Z' || state === 'X') return true;
            if (Date.now() >= deadline) return false;
            sleepSync(20);
          }
        },
      };
    },
    mountedUnder(dir) {
      // Throws when unreadable: the caller must not remove a directory it cannot prove is unmounted.
      return mountPointsUnder(fs.readFileSync('/proc/self/mounts', 'utf8'), dir);
    },
    sleepSync,
    out,
    err,
  };
}
