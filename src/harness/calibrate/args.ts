/**
 * calibrate's command line: one option table, then the choice of directories
 * (the fault directory, the journalled and unjournalled sides of the inode
 * update) from what the options name and what this machine has.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  checkCreatable,
  checkDirectory,
  flagOption,
  helpOption,
  optionHelp,
  parseCommandLine,
  checkedPath,
  parseThreads,
  valueOption,
} from '../args/index.js';
import { UsageError, quote } from '../errors.js';
import { fsInfo, type FsInfo } from '../../targets/kernel/fsinfo.js';
import { HOST_PROFILE_PATH } from '../../model/profiles.js';
import { HOST_HARDWARE_PATH } from '../../targets/virtual/this-host.js';

export interface CalibrateOptions {
  /** Where the profile is written (absolute). */
  out: string;
  /** Where the write-fault loop and the kernel target run (absolute). */
  faultDir: string;
  /** ext4 (journalled) directory for the inode-update measurement, or null with skipReason. */
  journalDir: string | null;
  /** tmpfs (unjournalled) directory the journalled calls are compared with, or null with skipReason. */
  plainDir: string | null;
  /** Why the journal part is skipped; null when it runs. */
  journalSkipReason: string | null;
  /** Thread counts of the model/kernel comparison, ascending, unique. */
  threads: number[];
  quick: boolean;
  /** Measure only what the this-host hardware preset needs (no fault, journal or comparison; no native addon). */
  hardwareOnly: boolean;
}

export type CalibrateParse = { kind: 'help'; text: string } | { kind: 'run'; options: CalibrateOptions };

export interface CalibrateEnv {
  cwd: string;
  cores: number;
  /** The OS temp directory (os.tmpdir()); injectable for tests. */
  tmpdir?: string;
  /** Where to look for tmpfs first; default /dev/shm. */
  shm?: string;
  /** fsInfo, injectable for tests. */
  fsInfo?: (dir: string) => FsInfo;
}

export const CALIBRATE_DEFAULTS = {
  threads: [1, 2],
  /** Quick comparison windows: passed to the bench CLI as --duration/--warmup/--runs/--pages. */
  quick: { durationSec: 0.3, warmupSec: 0.1, runs: 2, pages: 4096 },
} as const;

/** calibrate's options, in --help order. Directories are resolved here and chosen in parseCalibrateArgs. */
function calibrateOptions(env: Pick<CalibrateEnv, 'cwd' | 'cores'>) {
  const q = CALIBRATE_DEFAULTS.quick;
  const dirPath = checkedPath(env.cwd, checkDirectory);
  return {
    out: valueOption({
      name: '--json',
      aliases: ['--out'],
      metavar: 'PATH',
      help: [`where to write the profile (directories are created). Default: ${HOST_PROFILE_PATH}`],
      parse: checkedPath(env.cwd, checkCreatable),
      default: () => {
        const file = path.resolve(env.cwd, HOST_PROFILE_PATH);
        checkCreatable('--json', file);
        return file;
      },
    }),
    faultDir: valueOption({
      name: '--fault-dir',
      metavar: 'DIR',
      help: [
        'directory for the write-fault loop and the kernel target.',
        'Default: /dev/shm when it is tmpfs, else the OS temp directory.',
      ],
      parse: dirPath,
      default: (): string | undefined => undefined,
    }),
    journalDir: valueOption({
      name: '--journal-dir',
      metavar: 'DIR',
      help: [
        'journalled (ext4) directory for the inode-update cost.',
        'Default: the OS temp directory when it is ext4; otherwise that part is skipped.',
      ],
      parse: dirPath,
      default: (): string | undefined => undefined,
    }),
    threads: valueOption({
      name: '--threads',
      metavar: 'LIST',
      help: [
        `thread counts of the comparison: N, A-B or max, comma separated. Default: ${CALIBRATE_DEFAULTS.threads.join(',')}`,
      ],
      parse: (raw, flag) => parseThreads(flag, raw, env.cores),
      default: () => [...CALIBRATE_DEFAULTS.threads] as number[],
    }),
    quick: flagOption({
      name: '--quick',
      help: [
        `short measurements and comparison windows (duration ${q.durationSec}, warmup ${q.warmupSec}, runs ${q.runs}, pages ${q.pages})`,
      ],
    }),
    hardwareOnly: flagOption({
      name: '--hardware-only',
      help: ['measure only what --hardware this-host needs (line transfer, wake-up, topology; no native addon)'],
    }),
    help: helpOption(['this text']),
  };
}

export function calibrateHelp(): string {
  return [
    'Usage: faultscale calibrate [--json PATH] [--fault-dir DIR] [--journal-dir DIR] [--threads LIST] [--quick] [--hardware-only]',
    '       (or npm run calibrate -- ...)',
    '',
    'Measures one write fault and one journalled inode update on this machine, and, as root, each',
    "filesystem's page_mkwrite per page (ramfs, ext4 and xfs made on loop devices and removed after),",
    `writes the cost profile \`host\` (default ${HOST_PROFILE_PATH}, which --profile host reads), then runs the`,
    'model with that profile and the kernel target side by side. It also measures what the',
    `virtual target's \`--hardware this-host\` needs and writes it beside the profile (${HOST_HARDWARE_PATH}).`,
    '',
    ...optionHelp(calibrateOptions({ cwd: '.', cores: 1 }), { kind: 'column', width: 19 }),
    '',
    'Exit status: 0 measured and written, 1 a measurement or run failed, 2 bad input or no native addon,',
    '130 / 143 interrupted by SIGINT / SIGTERM.',
  ].join('\n');
}

const NO_JOURNAL_FS = new Set(['tmpfs', 'ramfs', 'devtmpfs', 'hugetlbfs']);

function safeFsType(info: (d: string) => FsInfo, dir: string): string | null {
  try {
    return info(dir).fsType;
  } catch {
    return null;
  }
}

function isWritableDir(dir: string): boolean {
  try {
    if (!fs.statSync(dir).isDirectory()) return false;
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parses `npm run calibrate -- …` (argv without node and script). Throws UsageError on bad input. */
export function parseCalibrateArgs(argv: readonly string[], env: CalibrateEnv): CalibrateParse {
  const info = env.fsInfo ?? fsInfo;
  const tmp = env.tmpdir ?? os.tmpdir();
  const shm = env.shm ?? '/dev/shm';
  const parsed = parseCommandLine(calibrateOptions(env), argv);
  if (parsed.kind === 'help') return { kind: 'help', text: calibrateHelp() };
  const { out, threads, quick, hardwareOnly } = parsed.values;
  // The this-host record goes beside the profile (host-hardware.ts): checked now too, before measuring.
  checkCreatable(
    parsed.spelled.get('out') ?? '--json',
    path.join(path.dirname(out), path.basename(HOST_HARDWARE_PATH)),
  );

  const shmIsTmpfs = safeFsType(info, shm) === 'tmpfs' && isWritableDir(shm);
  const faultDir = parsed.values.faultDir ?? (shmIsTmpfs ? shm : tmp);

  // The unjournalled side of the comparison: a tmpfs directory.
  const plainDir = shmIsTmpfs ? shm : safeFsType(info, faultDir) === 'tmpfs' ? faultDir : null;

  let journalDir = parsed.values.journalDir;
  let journalSkipReason: string | null = null;
  if (journalDir !== undefined) {
    const t = safeFsType(info, journalDir) ?? 'unknown';
    if (NO_JOURNAL_FS.has(t)) {
      throw new UsageError(
        `--journal-dir: ${quote(journalDir)} is on ${t}, which has no journal; give a directory on ext4 (or another journalling file system)`,
        '--journal-dir',
      );
    }
  } else {
    const t = safeFsType(info, tmp);
    if (t === 'ext4' && isWritableDir(tmp)) journalDir = tmp;
    else {
      journalDir = undefined;
      journalSkipReason = `the OS temp directory ${tmp} is ${t ?? 'unreadable'}, not ext4; pass --journal-dir DIR on an ext4 file system to measure the journal`;
    }
  }
  if (journalDir !== undefined && plainDir === null) {
    journalSkipReason = `no tmpfs directory to compare the journalled calls with (${shm} is not a writable tmpfs, nor is --fault-dir)`;
  }
  const journalRuns = journalSkipReason === null && journalDir !== undefined;

  return {
    kind: 'run',
    options: {
      out,
      faultDir,
      journalDir: journalRuns ? journalDir! : null,
      plainDir: journalRuns ? plainDir : null,
      journalSkipReason,
      threads,
      quick,
      hardwareOnly,
    },
  };
}
