/**
 * bench:fs (src/fsmatrix.ts): (a) argument parsing and planning, pure;
 * (b) clean-up on every way out, against a fake system that records every
 * command and keeps its own loop and mount tables (with a device and a mount
 * that are not ours, which must never be touched); (c) a real tiny matrix
 * through the built CLI, when running as root with losetup and mkfs.ext4.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { RUNS_COLUMNS } from '../../src/rows/runs.js';
import { csvLine, parseCsv } from '../../src/rows/codec.js';
import { UsageError } from '../../src/harness/errors.js';
import {
  FS_MIN_MIB,
  MatrixRunner,
  OWNER_FILE,
  orphanBenches,
  ownerAlive,
  benchArgs,
  commands,
  dataMib,
  imageSizeMib,
  mountPointsUnder,
  parseMatrixArgs,
  planMatrix,
  type BenchChild,
  type Effects,
  type ExecResult,
  type FsName,
  type HostEnv,
  type MatrixArgs,
  type MatrixPlan,
  type OwnerRecord,
} from '../../src/harness/fsmatrix/fsmatrix.js';
import { COLUMNS } from '../../src/rows/rows.js';
import { repoRoot, scratchDir } from '../helpers/cli.js';
import { mkfsMissing, needAll, rootLoopMissing } from '../helpers/need.js';

const root = scratchDir('fsmatrix-test');
let dirCount = 0;
const freshDir = (name: string): string => {
  const d = path.join(root, `${name}-${++dirCount}`);
  fs.mkdirSync(d);
  return d;
};

const env = (cwd = root) => ({ cwd, now: new Date('2026-01-02T03:04:05.678Z'), cores: 2 });
const parse = (argv: string[], cwd = root): MatrixArgs => {
  const r = parseMatrixArgs(argv, env(cwd));
  if (r.kind !== 'run') throw new Error('expected a run');
  return r.args;
};
const usage = (argv: string[]): UsageError => {
  try {
    parseMatrixArgs(argv, env());
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toMatch(/[\r\n]/);
    return e as UsageError;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
};

const host = (over: Partial<{ isRoot: boolean; missing: string[]; noKernel: FsName[] }> = {}): HostEnv => ({
  isRoot: over.isRoot ?? true,
  which: (tool) => ((over.missing ?? []).includes(tool) ? null : `/sbin/${tool}`),
  kernelHasFs: (f) => ((over.noKernel ?? []).includes(f) ? false : true),
});

// ---------------------------------------------------------------------------
describe('arguments', () => {
  it('refuses an unknown file system, naming the allowed ones', () => {
    const e = usage(['--fs', 'ext4,zfs']);
    expect(e.message).toMatch(/^--fs: unknown value 'zfs'; allowed: ext4, xfs, btrfs, tmpfs, or all$/);
  });

  it('refuses empty lists and empty items', () => {
    expect(usage(['--fs', '']).message).toMatch(/^--fs: empty item/);
    expect(usage(['--fs=ext4,']).message).toMatch(/^--fs: empty item/);
    expect(usage(['--mount-options', '']).message).toMatch(/^--mount-options: empty item/);
    expect(usage(['--mount-options', 'relatime,,lazytime']).message).toMatch(/^--mount-options: empty item/);
    expect(usage(['--mount-options', 'noatime+']).message).toMatch(/^--mount-options: empty option/);
    expect(usage(['--fs']).message).toMatch(/^--fs: missing value/);
  });

  it('refuses a mount option with characters no mount option has', () => {
    expect(usage(['--mount-options', 'relatime x']).message).toMatch(/is not a mount option/);
  });

  it('refuses unknown options, naming its own and pointing at the bench help', () => {
    const e = usage(['--fs', 'ext4', '--bogus']);
    expect(e.message).toMatch(
      /^--bogus: unknown option; bench:fs options are --fs, --mount-options, --size-mib, --csv, --force, --cleanup, or --help/,
    );
  });

  it.each([[['--target', 'kernel']], [['--dir', '/tmp']], [['--dir=/tmp']], [['--json', 'x.json']], [['--report']]])(
    'refuses %j: it is set per combination',
    (argv) => {
      const e = usage(['--threads', '1', ...argv]);
      expect(e.message).toMatch(/^--(target|dir|json|report): set by bench:fs for each combination; leave it out$/);
    },
  );

  it('passes every other option through verbatim and in order, and learns threads and pages from them', () => {
    const a = parse([
      '--threads',
      '1,2',
      '--fs',
      'tmpfs,ext4',
      '--runs=3',
      '--duration',
      '0.5',
      '--quick',
      '--pages',
      '1024',
      '--mount-options',
      'relatime,noatime+lazytime',
    ]);
    expect(a.passthrough).toEqual(['--threads', '1,2', '--runs=3', '--duration', '0.5', '--quick', '--pages', '1024']);
    expect(a.fsList).toEqual(['ext4', 'tmpfs']); // FS_NAMES order
    expect(a.optionSets).toEqual(['relatime', 'noatime,lazytime']);
    expect(a.threads).toEqual([1, 2]);
    expect(a.pages).toBe(1024);
    expect(benchArgs(a.passthrough, '/m', '/c.csv')).toEqual([
      ...a.passthrough,
      '--target',
      'kernel',
      '--dir',
      '/m',
      '--csv',
      '/c.csv',
    ]);
  });

  it('checks the passed-through options with the bench parser', () => {
    expect(usage(['--threads', '0']).message).toMatch(/^--threads: /);
    expect(usage(['--runs', 'x']).message).toMatch(/^--runs: /);
  });

  it('defaults: every file system, relatime and lazytime, results/fs-<timestamp>.csv, bench defaults for sizing', () => {
    const a = parse([]);
    expect(a.fsList).toEqual(['ext4', 'xfs', 'btrfs', 'tmpfs']);
    expect(a.optionSets).toEqual(['relatime', 'lazytime']);
    expect(a.csvPath).toBe(path.join(root, 'results', 'fs-2026-01-02T03-04-05Z.csv'));
    expect(a.runsPath).toBe(path.join(root, 'results', 'fs-2026-01-02T03-04-05Z.runs.csv'));
    expect(a.threads).toEqual([1, 2]);
    expect(a.pages).toBe(32768);
    expect(a.sizeMib).toBeNull();
  });

  it('refuses an existing CSV or sidecar unless --force', () => {
    const d = freshDir('exists');
    fs.writeFileSync(path.join(d, 'm.csv'), '');
    expect(usage(['--csv', path.join(d, 'm.csv')]).message).toMatch(/already exists/);
    expect(parse(['--csv', path.join(d, 'm.csv'), '--force']).force).toBe(true);
    fs.writeFileSync(path.join(d, 'n.runs.csv'), '');
    expect(usage(['--csv', path.join(d, 'n.csv')]).message).toMatch(/n\.runs\.csv' already exists/);
  });

  it('sizes each file system from the files it must hold, and refuses a --size-mib too small', () => {
    expect(dataMib([1, 2], 32768)).toBe(320); // 2 × 128 MiB × 1.25
    expect(imageSizeMib('ext4', [1, 2], 32768)).toBe(320 + FS_MIN_MIB.ext4);
    expect(imageSizeMib('xfs', [1], 256)).toBeGreaterThanOrEqual(512);
    expect(imageSizeMib('btrfs', [1], 256)).toBeGreaterThanOrEqual(512);
    expect(usage(['--size-mib', '100', '--threads', '2', '--pages', '32768', '--fs', 'ext4']).message).toMatch(
      /^--size-mib: 100 MiB is too small; the bench's files need 320 MiB/,
    );
    expect(usage(['--size-mib', '400', '--threads', '1', '--pages', '256', '--fs', 'xfs']).message).toMatch(
      /too small for xfs; it needs at least 512/,
    );
    expect(usage(['--size-mib', '0']).message).toMatch(/^--size-mib: /);
    expect(parse(['--size-mib', '600', '--threads', '1', '--pages', '256', '--fs', 'xfs']).sizeMib).toBe(600);
  });

  it('--help wins over mistakes', () => {
    expect(parseMatrixArgs(['--bogus', '--help'], env()).kind).toBe('help');
    expect(parseMatrixArgs(['--dir', 'x', '-h'], env()).kind).toBe('help');
  });
});

describe('planning', () => {
  const args = (argv: string[] = ['--threads', '1', '--pages', '256']): MatrixArgs => parse(argv);

  it('plans every (fs, option set) in order, none skipped when everything is there', () => {
    const plan = planMatrix(
      args(['--threads', '1', '--pages', '256', '--fs', 'all', '--mount-options', 'relatime,noatime+lazytime']),
      host(),
    );
    expect(plan.combos.map((c) => `${c.fs}:${c.mountOptions}`)).toEqual([
      'ext4:relatime',
      'ext4:noatime,lazytime',
      'xfs:relatime',
      'xfs:noatime,lazytime',
      'btrfs:relatime',
      'btrfs:noatime,lazytime',
      'tmpfs:relatime',
      'tmpfs:noatime,lazytime',
    ]);
    expect(plan.combos.every((c) => c.skip === null)).toBe(true);
    expect(new Set(plan.combos.map((c) => c.stem)).size).toBe(plan.combos.length);
  });

  it('skips the file systems whose mkfs is missing, saying which tool and package', () => {
    const plan = planMatrix(
      args(['--threads', '1', '--pages', '256', '--fs', 'ext4,xfs,btrfs,tmpfs', '--mount-options', 'relatime']),
      host({ missing: ['mkfs.xfs', 'mkfs.btrfs'] }),
    );
    const skip = Object.fromEntries(plan.combos.map((c) => [c.fs, c.skip]));
    expect(skip).toEqual({
      ext4: null,
      xfs: 'mkfs.xfs not found (install xfsprogs)',
      btrfs: 'mkfs.btrfs not found (install btrfs-progs)',
      tmpfs: null,
    });
  });

  it('skips every loop-device file system without losetup, but not tmpfs', () => {
    const plan = planMatrix(
      args(['--threads', '1', '--pages', '256', '--mount-options', 'relatime']),
      host({ missing: ['losetup'] }),
    );
    for (const c of plan.combos) {
      if (c.fs === 'tmpfs') expect(c.skip).toBeNull();
      else expect(c.skip).toMatch(/losetup not found/);
    }
  });

  it('skips everything when not root, tmpfs included, saying so', () => {
    const plan = planMatrix(args(), host({ isRoot: false }));
    expect(plan.combos.length).toBe(8);
    for (const c of plan.combos) expect(c.skip).toMatch(/^not running as root: /);
  });

  it('skips a file system the kernel cannot mount', () => {
    const plan = planMatrix(
      args(['--threads', '1', '--pages', '256', '--fs', 'btrfs', '--mount-options', 'relatime']),
      host({ noKernel: ['btrfs'] }),
    );
    expect(plan.combos[0]!.skip).toMatch(/kernel cannot mount btrfs/);
  });

  it('builds the command lines', () => {
    const plan = planMatrix(args(['--threads', '1', '--pages', '256', '--mount-options', 'noatime+lazytime']), host());
    const by = (f: FsName) => plan.combos.find((c) => c.fs === f)!;
    expect(commands.attach(by('ext4').tools, '/t/image')).toEqual({
      cmd: '/sbin/losetup',
      args: ['--find', '--show', '/t/image'],
    });
    expect(commands.mkfs(by('ext4'), '/dev/loop7')).toEqual({
      cmd: '/sbin/mkfs.ext4',
      args: ['-q', '-F', '/dev/loop7'],
    });
    expect(commands.mkfs(by('xfs'), '/dev/loop7').args).toEqual(['-q', '-f', '/dev/loop7']);
    expect(commands.mkfs(by('btrfs'), '/dev/loop7').args).toEqual(['-q', '-f', '/dev/loop7']);
    expect(commands.mount(by('xfs'), '/dev/loop7', '/t/mnt').args).toEqual([
      '-t',
      'xfs',
      '-o',
      'noatime,lazytime',
      '/dev/loop7',
      '/t/mnt',
    ]);
    const t = by('tmpfs');
    expect(commands.mount(t, null, '/t/mnt').args).toEqual([
      '-t',
      'tmpfs',
      '-o',
      `size=${t.sizeMib}m,noatime,lazytime`,
      'tmpfs',
      '/t/mnt',
    ]);
    expect(commands.umount(t.tools, '/t/mnt')).toEqual({ cmd: '/sbin/umount', args: ['/t/mnt'] });
    expect(commands.detach(t.tools, '/dev/loop7')).toEqual({ cmd: '/sbin/losetup', args: ['-d', '/dev/loop7'] });
  });

  it('finds mount points below a directory in /proc/self/mounts text, octal escapes decoded', () => {
    const text = [
      '/dev/vda / ext4 rw 0 0',
      '/dev/loop3 /tmp/fs-a/mnt ext4 rw 0 0',
      'tmpfs /tmp/fs-a/mnt\\040x tmpfs rw 0 0',
      'tmpfs /tmp/fs-ab/mnt tmpfs rw 0 0',
    ].join('\n');
    expect(mountPointsUnder(text, '/tmp/fs-a')).toEqual(['/tmp/fs-a/mnt', '/tmp/fs-a/mnt x']);
  });
});

// ---------------------------------------------------------------------------
// A fake system: loop and mount tables, a command log, and a fake bench.

type BenchMode = 'ok' | 'fail' | 'hang' | 'wrong-fs';
const FOREIGN_DEV = '/dev/loop0';
const FOREIGN_MNT = '/mnt/not-ours';

class FakeSystem {
  readonly log: string[] = [];
  readonly loops = new Map<string, string>([[FOREIGN_DEV, '/var/lib/someone-else.img']]);
  readonly mounts: string[] = [FOREIGN_MNT];
  /** Devices losetup handed out and mount points mounted, by us. */
  readonly attached: string[] = [];
  readonly mounted: string[] = [];
  readonly signals: string[] = [];
  benchStarted: (() => void) | null = null;
  benchMode: (label: string) => BenchMode = () => 'ok';
  failOn: (line: string) => ExecResult | 'throw' | null = () => null;

  private ok = (stdout = ''): ExecResult => ({ status: 0, signal: null, stdout, stderr: '' });
  private bad = (stderr: string, status = 1): ExecResult => ({ status, signal: null, stdout: '', stderr });

  /** Rewrites what a command reports after it took effect (e.g. a mount that happened but reported failure). */
  mangle: (line: string, r: ExecResult) => ExecResult = (_l, r) => r;

  exec(cmd: string, args: readonly string[]): ExecResult {
    const tool = path.basename(cmd);
    const line = [tool, ...args].join(' ');
    this.log.push(line);
    const injected = this.failOn(line);
    if (injected === 'throw') throw new Error(`fake: ${tool} blew up`);
    if (injected) return injected;
    return this.mangle(line, this.apply(tool, args, line));
  }

  private apply(tool: string, args: readonly string[], line: string): ExecResult {
    if (tool === 'losetup') {
      if (args[0] === '--find') {
        let n = 0;
        while (this.loops.has(`/dev/loop${n}`)) n++;
        const dev = `/dev/loop${n}`;
        this.loops.set(dev, args[2]!);
        this.attached.push(dev);
        return this.ok(`${dev}\n`);
      }
      if (args[0] === '-d')
        return this.loops.delete(args[1]!)
          ? this.ok()
          : this.bad(`losetup: ${args[1]}: detach failed: No such device or address`);
      if (args[0] === '--associated') {
        return this.ok(
          [...this.loops]
            .filter(([, img]) => img === args[1])
            .map(([d, img]) => `${d}: [2049]:12 (${img})\n`)
            .join(''),
        );
      }
    }
    if (tool.startsWith('mkfs.')) return this.ok();
    if (tool === 'mount') {
      const mnt = args[args.length - 1]!;
      this.mounts.push(mnt);
      this.mounted.push(mnt);
      return this.ok();
    }
    if (tool === 'umount') {
      const mnt = args[args.length - 1]!;
      const i = this.mounts.lastIndexOf(mnt);
      if (i < 0) return this.bad(`umount: ${mnt}: not mounted.`, 32);
      this.mounts.splice(i, 1);
      return this.ok();
    }
    return this.bad(`fake: unknown command ${line}`, 127);
  }

  spawnBench(args: readonly string[], label: string): BenchChild {
    const at = (flag: string) => args[args.indexOf(flag) + 1]!;
    const csv = at('--csv');
    const mnt = at('--dir');
    this.log.push(`bench --dir ${mnt}`);
    expect(this.mounts).toContain(mnt);
    const fsName = label.split(' ')[0]!;
    const mode = this.benchMode(label);
    const writeRows = (fsType: string): void => {
      const row: Record<string, string | number> = {
        target: 'kernel',
        fs_type: fsType,
        mount_options: 'rw,relatime',
        workload: 'separate-file',
        journal: fsType,
        strategy: 'kernel',
        profile: 'default@1',
        threads: 1,
        runs: 1,
        faults_per_sec_mean: 1000,
      };
      fs.writeFileSync(csv, csvLine(COLUMNS.map((c) => c[0])) + csvLine(COLUMNS.map((c) => row[c[0]] ?? '')));
      fs.writeFileSync(
        csv.replace(/\.csv$/, '.runs.csv'),
        csvLine(RUNS_COLUMNS) +
          csvLine(RUNS_COLUMNS.map((c) => (c === 'run' ? 1 : c === 'faults_per_sec' ? 1000 : (row[c] ?? '')))),
      );
    };
    let killed = false;
    let finish: (r: ExecResult) => void = () => {};
    const done = new Promise<ExecResult>((resolve) => (finish = resolve));
    if (mode === 'ok') {
      writeRows(fsName);
      finish({ status: 0, signal: null, stdout: 'table\n', stderr: '' });
    } else if (mode === 'wrong-fs') {
      writeRows('ext4-underneath');
      finish({ status: 0, signal: null, stdout: '', stderr: '' });
    } else if (mode === 'fail') {
      finish({ status: 1, signal: null, stdout: 'partial table\n', stderr: 'faultscale: run failed: boom\n' });
    }
    this.benchStarted?.();
    return {
      done,
      kill: (sig) => {
        this.signals.push(sig);
        if (!killed) {
          killed = true;
          writeRows(fsName); // like the bench: the rows measured before the signal are written
          finish({ status: 130, signal: null, stdout: '', stderr: '' });
        }
      },
      waitExitSync: () => killed || mode !== 'hang',
    };
  }

  effects(): Effects {
    return {
      exec: (c, a) => this.exec(c, a),
      spawnBench: (a, l) => this.spawnBench(a, l),
      mountedUnder: (dir) => this.mounts.filter((m) => m === dir || m.startsWith(`${dir}/`)),
      sleepSync: () => {},
      out: () => {},
      err: () => {},
    };
  }

  /** Nothing of ours left, and the foreign device and mount untouched. */
  expectClean(tmpRoot: string): void {
    expect([...this.loops.keys()]).toEqual([FOREIGN_DEV]);
    expect(this.mounts).toEqual([FOREIGN_MNT]);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
    for (const line of this.log) {
      const [tool, first, second] = line.split(' ');
      if (tool === 'umount') expect(this.mounted, line).toContain(first === '-l' ? second : first);
      if (tool === 'losetup' && first === '-d') expect(this.attached, line).toContain(second);
      expect(line).not.toContain(FOREIGN_DEV);
      expect(line).not.toContain(FOREIGN_MNT);
    }
  }

  /** Index of the first log line starting with `prefix`. */
  at(prefix: string, from = 0): number {
    const i = this.log.findIndex((l, j) => j >= from && l.startsWith(prefix));
    expect(i, `no '${prefix}' in ${JSON.stringify(this.log)}`).toBeGreaterThanOrEqual(0);
    return i;
  }
}

function fakePlan(argv: string[]): { plan: MatrixPlan; tmpRoot: string; csv: string } {
  const out = freshDir('out');
  const csv = path.join(out, 'm.csv');
  const a = parse(['--threads', '1', '--pages', '256', '--csv', csv, ...argv]);
  return { plan: planMatrix(a, host()), tmpRoot: freshDir('tmp'), csv };
}

function readMerged(csv: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(fs.readFileSync(csv, 'utf8'));
  expect(header).toEqual(COLUMNS.map((c) => c[0]));
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

describe('running against a fake system', () => {
  it('runs each combination in order, merges the rows, and removes everything it made', async () => {
    const sys = new FakeSystem();
    const { plan, tmpRoot, csv } = fakePlan(['--fs', 'ext4,xfs,tmpfs', '--mount-options', 'relatime,lazytime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(0);
    expect(out.results.map((r) => r.status)).toEqual(Array(6).fill('ran'));
    const rows = readMerged(csv);
    expect(rows.map((r) => r.fs_type)).toEqual(['ext4', 'ext4', 'xfs', 'xfs', 'tmpfs', 'tmpfs']);
    expect(parseCsv(fs.readFileSync(csv.replace(/\.csv$/, '.runs.csv'), 'utf8')).length).toBe(7);
    sys.expectClean(tmpRoot);
    // Each loop combination: attach, mkfs, mount, bench, umount, detach, in that order.
    const a = sys.at('losetup --find');
    const seq = [
      'mkfs.ext4 -q -F /dev/loop1',
      'mount -t ext4 -o relatime /dev/loop1',
      'bench',
      'umount',
      'losetup -d /dev/loop1',
    ];
    let last = a;
    for (const s of seq) {
      const i = sys.at(s, last);
      expect(i).toBeGreaterThan(last);
      last = i;
    }
    expect(sys.log.some((l) => l.startsWith('mount -t tmpfs -o size=') && l.includes(',relatime tmpfs '))).toBe(true);
  });

  it('mkfs fails: the loop device is detached, nothing is mounted, the temp dir is removed, exit 1', async () => {
    const sys = new FakeSystem();
    sys.failOn = (l) =>
      l.startsWith('mkfs.xfs') ? { status: 1, signal: null, stdout: '', stderr: 'mkfs.xfs: no luck\n' } : null;
    const { plan, tmpRoot } = fakePlan(['--fs', 'ext4,xfs', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results.map((r) => r.status)).toEqual(['ran', 'failed']);
    expect(out.results[1]!.reason).toMatch(
      /^mkfs\.xfs failed: \/sbin\/mkfs\.xfs -q -f \/dev\/loop\d: exit status 1: mkfs\.xfs: no luck$/,
    );
    const mk = sys.at('mkfs.xfs');
    const dev = sys.log[mk]!.split(' ').at(-1)!;
    expect(sys.log.slice(mk + 1).filter((l) => l.startsWith('mount') || l.startsWith('umount'))).toEqual([]);
    expect(sys.at(`losetup -d ${dev}`, mk)).toBeGreaterThan(mk);
    sys.expectClean(tmpRoot);
  });

  it('mount fails: the loop device is detached and nothing unmounted', async () => {
    const sys = new FakeSystem();
    sys.failOn = (l) =>
      l.startsWith('mount ')
        ? { status: 32, signal: null, stdout: '', stderr: 'mount: wrong fs type, bad option\n' }
        : null;
    const { plan, tmpRoot } = fakePlan(['--fs', 'btrfs', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]!.reason).toMatch(/^mount failed: .*exit status 32: mount: wrong fs type, bad option$/);
    expect(sys.log.filter((l) => l.startsWith('umount'))).toEqual([]);
    expect(sys.log.filter((l) => l.startsWith('losetup -d'))).toEqual(['losetup -d /dev/loop1']);
    sys.expectClean(tmpRoot);
  });

  it('an exception in a step still unwinds everything', async () => {
    const sys = new FakeSystem();
    sys.failOn = (l) => (l.startsWith('mount ') ? 'throw' : null);
    const { plan, tmpRoot } = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]!.reason).toMatch(/blew up/);
    sys.expectClean(tmpRoot);
  });

  it('the bench fails: unmount, then detach, then remove; the next combination still runs; exit 1', async () => {
    const sys = new FakeSystem();
    sys.benchMode = (label) => (label.startsWith('ext4') ? 'fail' : 'ok');
    const { plan, tmpRoot, csv } = fakePlan(['--fs', 'ext4,tmpfs', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results.map((r) => [r.status, r.reason])).toEqual([
      ['failed', 'bench exit status 1: faultscale: run failed: boom'],
      ['ran', null],
    ]);
    const bench = sys.at('bench');
    const um = sys.at('umount', bench);
    expect(sys.at('losetup -d /dev/loop1', um)).toBeGreaterThan(um);
    expect(readMerged(csv).map((r) => r.fs_type)).toEqual(['tmpfs']);
    sys.expectClean(tmpRoot);
  });

  it('refuses rows of another file system than the one it made', async () => {
    const sys = new FakeSystem();
    sys.benchMode = () => 'wrong-fs';
    const { plan, tmpRoot, csv } = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]!.reason).toMatch(/measured 'ext4-underneath', not ext4/);
    expect(readMerged(csv)).toEqual([]);
    sys.expectClean(tmpRoot);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-run: forwarded to the bench, its rows kept, everything unwound in reverse, nothing more started',
    async (sig) => {
      const sys = new FakeSystem();
      sys.benchMode = (label) => (label.startsWith('xfs') ? 'hang' : 'ok');
      const started = new Promise<void>((resolve) => (sys.benchStarted = resolve));
      const { plan, tmpRoot, csv } = fakePlan(['--fs', 'xfs,btrfs', '--mount-options', 'relatime,lazytime']);
      const runner = new MatrixRunner(plan, sys.effects(), { tmpRoot, childGraceMs: 10 });
      const running = runner.run();
      await started;
      expect(runner.heldNow().map((h) => h.split(' ')[0])).toEqual(['dir', 'loop', 'mount']);
      const before = sys.log.length;
      const code = runner.interrupt(sig);
      expect(code).toBe(sig === 'SIGINT' ? 130 : 143);
      expect(sys.signals).toEqual([sig]);
      expect(runner.heldNow()).toEqual([]);
      const after = sys.log.slice(before);
      const um = after.findIndex((l) => l.startsWith('umount'));
      const de = after.findIndex((l) => l.startsWith('losetup -d'));
      expect(um).toBeGreaterThanOrEqual(0);
      expect(de).toBeGreaterThan(um);
      sys.expectClean(tmpRoot);
      const out = await running;
      expect(out.interrupted).toBe(sig);
      expect(out.exitCode).toBe(code);
      expect(sys.log.length).toBe(before + after.length); // nothing set up after the signal
      expect(out.results.map((r) => r.status)).toEqual(['interrupted', 'not-run', 'not-run', 'not-run']);
      expect(readMerged(csv).map((r) => r.fs_type)).toEqual(['xfs']);
      expect(runner.cleanup()).toEqual([]); // idempotent, as the exit handler calls it again
      sys.expectClean(tmpRoot);
    },
  );

  it('a bench that ignores the signal is killed, then everything is unwound', async () => {
    const sys = new FakeSystem();
    sys.benchMode = () => 'hang';
    const started = new Promise<void>((resolve) => (sys.benchStarted = resolve));
    const { plan, tmpRoot } = fakePlan(['--fs', 'tmpfs', '--mount-options', 'relatime']);
    const fx = sys.effects();
    const stubborn: Effects = {
      ...fx,
      spawnBench: (a, l) => {
        const child = fx.spawnBench(a, l);
        return { ...child, waitExitSync: () => sys.signals.includes('SIGKILL') };
      },
    };
    const runner = new MatrixRunner(plan, stubborn, { tmpRoot, childGraceMs: 10 });
    const running = runner.run();
    await started;
    expect(runner.interrupt('SIGTERM')).toBe(143);
    expect(sys.signals).toEqual(['SIGTERM', 'SIGKILL']);
    sys.expectClean(tmpRoot);
    await running;
  });

  it('a mount that happened although mount reported failure is found in its own dir and unmounted', async () => {
    const sys = new FakeSystem();
    sys.mangle = (l, r) => (l.startsWith('mount ') ? { ...r, status: 1, stderr: 'mount: interrupted\n' } : r);
    const { plan, tmpRoot } = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]!.reason).toMatch(/^mount failed: /);
    expect(sys.log.filter((l) => l.startsWith('umount') || l.startsWith('losetup -d'))).toEqual([
      `umount ${sys.mounted[0]}`,
      'losetup -d /dev/loop1',
    ]);
    sys.expectClean(tmpRoot);
  });

  it('a loop device attached but not printed is found by its backing image (ours) and detached', async () => {
    const sys = new FakeSystem();
    sys.mangle = (l, r) => (l.startsWith('losetup --find') ? { ...r, stdout: 'something odd\n' } : r);
    const { plan, tmpRoot } = fakePlan(['--fs', 'xfs', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]!.reason).toMatch(/losetup printed 'something odd'/);
    expect(sys.log.filter((l) => l.startsWith('losetup -d'))).toEqual(['losetup -d /dev/loop1']);
    expect(sys.log.some((l) => l.startsWith('mkfs') || l.startsWith('mount'))).toBe(false);
    sys.expectClean(tmpRoot);
  });

  it('a busy unmount is retried, then done lazily (the mount is ours)', async () => {
    const sys = new FakeSystem();
    let busy = 3;
    sys.failOn = (l) =>
      l.startsWith('umount /') && busy-- > 0
        ? { status: 32, signal: null, stdout: '', stderr: 'umount: target is busy.\n' }
        : null;
    const { plan, tmpRoot } = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    expect(out.exitCode).toBe(0);
    expect(sys.log.filter((l) => l.startsWith('umount')).length).toBe(4);
    sys.expectClean(tmpRoot);

    const sys2 = new FakeSystem();
    sys2.failOn = (l) =>
      l.startsWith('umount /') ? { status: 32, signal: null, stdout: '', stderr: 'umount: target is busy.\n' } : null;
    const p2 = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    const out2 = await new MatrixRunner(p2.plan, sys2.effects(), { tmpRoot: p2.tmpRoot }).run();
    expect(out2.exitCode).toBe(0); // umount -l succeeded
    expect(sys2.log.some((l) => l.startsWith('umount -l '))).toBe(true);
    sys2.expectClean(p2.tmpRoot);
  });

  it('nothing runs when everything is skipped: exit 1, no CSV, no command', async () => {
    const sys = new FakeSystem();
    const out0 = freshDir('out');
    const a = parse(['--threads', '1', '--pages', '256', '--csv', path.join(out0, 'm.csv')]);
    const plan = planMatrix(a, host({ isRoot: false }));
    const out = await new MatrixRunner(plan, sys.effects(), { tmpRoot: freshDir('tmp') }).run();
    expect(out.exitCode).toBe(1);
    expect(out.results.every((r) => r.status === 'skipped')).toBe(true);
    expect(sys.log).toEqual([]);
    expect(fs.existsSync(path.join(out0, 'm.csv'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// The real thing.

/** What a real bench:fs run needs beyond root and loop devices: the built CLI and addon. */
function builtMissing(): string | null {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'src', 'commands', 'fsmatrix.js')))
    return 'dist/src/commands/fsmatrix.js not built (npx tsc -p tsconfig.json)';
  if (!fs.existsSync(path.join(repoRoot, 'build', 'Release', 'faultscale.node')))
    return 'native addon not built (node scripts/build-addon.mjs)';
  return null;
}
const realNeed = needAll([
  ['root and loop devices', rootLoopMissing()],
  ['mkfs.ext4', mkfsMissing('ext4')],
  ['the built CLI and addon', builtMissing()],
]);
const xfsBtrfsNeed = needAll([
  ['root and loop devices', rootLoopMissing()],
  ['xfs tools', mkfsMissing('xfs')],
  ['btrfs tools', mkfsMissing('btrfs')],
  ['the built CLI and addon', builtMissing()],
]);

/** Runs the built bench:fs CLI in cwd and collects its output. */
function runMatrix(
  argv: readonly string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'src', 'commands', 'fsmatrix.js'), ...argv], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs bench:fs for real on these file systems and checks the rows and that no image, loop device or mount is left. */
async function expectCleanRealRun(fsList: readonly string[]): Promise<void> {
  const cwd = freshDir('real');
  const csv = path.join(cwd, 'fs.csv');
  const argv = [
    '--fs',
    fsList.join(','),
    '--mount-options',
    'relatime',
    '--threads',
    '1',
    '--duration',
    '0.2',
    '--warmup',
    '0.05',
    '--runs',
    '1',
    '--pages',
    '256',
    '--csv',
    csv,
  ];
  const r = await runMatrix(argv, cwd);
  const said = `status ${r.status}\n${r.stdout}\n${r.stderr}`;
  expect(r.status, said).toBe(0);
  const rows = readMerged(csv);
  expect(
    rows.map((x) => x.fs_type),
    said,
  ).toEqual(fsList);
  for (const x of rows) {
    expect(x.target).toBe('kernel');
    expect(x.mount_options).toMatch(/relatime/);
    expect(Number(x.faults_per_sec_mean)).toBeGreaterThan(0);
  }
  // A header and one run per file system.
  expect(parseCsv(fs.readFileSync(path.join(cwd, 'fs.runs.csv'), 'utf8')).length).toBe(1 + fsList.length);
  // The private directories it used, from the bench's "kernel target: <dir>/mnt is ..." lines.
  const dirs = [...r.stderr.matchAll(/kernel target: (\S+)\/mnt is /g)].map((m) => m[1]!);
  expect(dirs.length, said).toBe(fsList.length);
  const loops = spawnSync('losetup', ['-a'], { encoding: 'utf8' }).stdout;
  const mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
  for (const d of dirs) {
    expect(d.startsWith(fs.realpathSync(os.tmpdir()))).toBe(true);
    expect(loops).not.toContain(d);
    expect(mounts).not.toContain(d);
    expect(fs.existsSync(d)).toBe(false);
  }
}

describe('a real matrix', () => {
  it.skipIf(realNeed.skip)(
    realNeed.label('ext4 and tmpfs through the built CLI leave nothing behind'),
    () => expectCleanRealRun(['ext4', 'tmpfs']),
    120_000,
  );

  it.skipIf(xfsBtrfsNeed.skip)(
    xfsBtrfsNeed.label('xfs and btrfs through the built CLI leave nothing behind'),
    () => expectCleanRealRun(['xfs', 'btrfs']),
    120_000,
  );
});

describe('leftovers of a run killed with SIGKILL', () => {
  const TOOLS = { losetup: '/sbin/losetup', mount: '/bin/mount', umount: '/bin/umount', mkfs: '' };
  const DEAD = 999_999_001;
  const LIVE = 999_999_002;
  const alive = (r: OwnerRecord): boolean => r.pid === LIVE;

  /** A private directory as a run leaves it when killed after mounting: image, loop device, mount, owner file. */
  function leftBehind(
    sys: FakeSystem,
    tmpRoot: string,
    name: string,
    pid: number,
  ): { dir: string; dev: string; mnt: string } {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(tmpRoot, `faultscale-fs-${name}-`)));
    const image = path.join(dir, 'image');
    const mnt = path.join(dir, 'mnt');
    fs.writeFileSync(image, '');
    fs.mkdirSync(mnt);
    const dev = sys.exec('losetup', ['--find', '--show', image]).stdout.trim();
    sys.exec('mount', ['-t', 'ext4', '-o', 'relatime', dev, mnt]);
    const rec: OwnerRecord = { pid, started: null, items: [`image ${image}`, `loop ${dev}`, `mount ${mnt}`] };
    fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(rec));
    return { dir, dev, mnt };
  }

  it('records each item and its owner in the private directory as it is made', async () => {
    const sys = new FakeSystem();
    const { plan, tmpRoot } = fakePlan(['--fs', 'ext4', '--mount-options', 'relatime']);
    let seen: OwnerRecord | null = null;
    sys.benchStarted = () => {
      const [dir] = fs.readdirSync(tmpRoot);
      seen = JSON.parse(fs.readFileSync(path.join(tmpRoot, dir!, OWNER_FILE), 'utf8')) as OwnerRecord;
    };
    await new MatrixRunner(plan, sys.effects(), { tmpRoot }).run();
    const rec = seen as OwnerRecord | null;
    expect(rec?.pid).toBe(process.pid);
    expect(rec?.items.map((i) => i.split(' ')[0])).toEqual(['image', 'loop', 'mount']);
    expect(rec?.items[1]).toBe(`loop ${sys.attached[0]}`);
    sys.expectClean(tmpRoot);
  });

  it('removes what a dead owner left, and nothing of a living one, of no owner, or of anyone else', () => {
    const sys = new FakeSystem();
    const tmpRoot = fs.realpathSync(freshDir('tmp'));
    const dead = leftBehind(sys, tmpRoot, 'ext4-relatime', DEAD);
    const live = leftBehind(sys, tmpRoot, 'ext4-lazytime', LIVE);
    const stranger = fs.mkdtempSync(path.join(tmpRoot, 'faultscale-fs-xfs-relatime-')); // no owner file
    const runner = new MatrixRunner({ combos: [], csvPath: '', runsPath: '', passthrough: [] }, sys.effects(), {
      tmpRoot,
      ownerAlive: alive,
    });
    const lines = runner.removeLeftovers(TOOLS);
    expect(lines).toEqual([
      `removed what bench:fs pid ${DEAD} left (it is gone): image ${path.join(dead.dir, 'image')}, loop ${dead.dev}, mount ${dead.mnt}, ${dead.dir}`,
    ]);
    expect(fs.existsSync(dead.dir)).toBe(false);
    expect(sys.loops.has(dead.dev)).toBe(false);
    expect(sys.mounts).not.toContain(dead.mnt);
    // The living owner's directory, device and mount, the directory without an owner, and the foreign ones stay.
    expect(fs.existsSync(live.dir) && fs.existsSync(stranger)).toBe(true);
    expect(sys.loops.has(live.dev) && sys.loops.has(FOREIGN_DEV)).toBe(true);
    expect(sys.mounts).toEqual(expect.arrayContaining([live.mnt, FOREIGN_MNT]));
    for (const line of sys.log.filter((l) => l.startsWith('umount') || l.startsWith('losetup -d'))) {
      expect(line).not.toContain(live.dir);
      expect(line).not.toContain(live.dev);
      expect(line).not.toContain(FOREIGN_DEV);
    }
    // Nothing left to do the second time.
    expect(runner.removeLeftovers(TOOLS)).toEqual([]);
  });

  it("names a gone owner's bench only while it runs with this directory on its command line", () => {
    const dir = fs.realpathSync(freshDir('orphan'));
    // This test's own process stands in for a bench: its command line does not name the directory, so it is no orphan.
    expect(orphanBenches({ pid: 999_999_003, started: null, items: [`bench ${process.pid}`] }, dir)).toEqual([]);
    expect(orphanBenches({ pid: 999_999_003, started: null, items: [`bench 999999004`] }, dir)).toEqual([]);
    expect(ownerAlive({ pid: process.pid, started: null, items: [] })).toBe(true);
    expect(ownerAlive({ pid: 999_999_003, started: null, items: [] })).toBe(false);
  });

  it('--cleanup is its own mode: no other option is needed or checked', () => {
    expect(parseMatrixArgs(['--cleanup'], { cwd: freshDir('c'), now: new Date(), cores: 2 })).toEqual({
      kind: 'cleanup',
    });
  });
});
