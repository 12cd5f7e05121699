/**
 * calibrate's fault-path step: make the filesystems, time the loops, derive
 * each path's extra, print the table, take the filesystems down. A
 * filesystem that cannot be made is skipped with its reason; without ramfs
 * (the generic path every extra is measured against) the whole step is.
 */
import { textTable } from '../../output/text-table.js';
import type { NativeAddon } from '../../targets/kernel/native.js';
import { deriveExtra, readOff, type PathExtra, type PathRound } from './fault-path-cost.js';
import { measureFaultPaths, type PathCase } from './fault-path-measure.js';
import { DEFAULT_FAULT_NS, type PathExtras } from './profile.js';
import { SCRATCH_MOUNT_OPTIONS, ScratchMounts, type ScratchKind, type ScratchShell } from './scratch-fs.js';

/** The cases, in table order: the key, the filesystem it needs, how its file is filled, and what it is for. */
const CASES: readonly { key: string; fs: ScratchKind; fill: PathCase['fill']; role: string }[] = [
  { key: 'generic', fs: 'ramfs', fill: 'writes', role: 'generic path (filemap_page_mkwrite)' },
  { key: 'ext4', fs: 'ext4', fill: 'writes', role: 'ext4MkwriteNs' },
  { key: 'xfs', fs: 'xfs', fill: 'writes', role: 'xfsMkwriteNs' },
  { key: 'ext4-verity', fs: 'ext4-verity', fill: 'faults', role: 'check: ext4 without large folios' },
  { key: 'ext4-faults', fs: 'ext4', fill: 'faults', role: 'record: large folios' },
  { key: 'xfs-faults', fs: 'xfs', fill: 'faults', role: 'record: large folios' },
];

/** Image sizes, MiB: two 16 MiB files on each, over mkfs.xfs's 300 MiB minimum. */
const IMAGE_MIB: Readonly<Record<ScratchKind, number>> = { ramfs: 0, ext4: 128, 'ext4-verity': 128, xfs: 512 };

export interface FaultPathResult {
  /** Table and summary lines to print. */
  readonly lines: readonly string[];
  /** The extras measured (host ns), for deriveHostProfile; absent where not measured. */
  readonly extras: Partial<PathExtras>;
  /** For the profile's description. */
  readonly where: string;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const fsLabel = (k: ScratchKind): string => (k === 'ext4-verity' ? 'ext4 -O verity' : k);

/** The table and summary from measured rounds (pure: tests feed constructed rounds). */
export function formatFaultPaths(rounds: readonly PathRound[], skipped: readonly string[]): FaultPathResult {
  const pages = rounds[0]?.generic.stores ?? 0;
  const present = CASES.filter((c) => rounds[0]?.[c.key] !== undefined);
  const extras: Record<string, PathExtra> = {};
  const problems: string[] = [];
  const body = present.map((c) => {
    const r = readOff(rounds, c.key);
    let extra = '';
    if (c.fill === 'writes' || c.key === 'ext4-verity') {
      if (c.key !== 'generic') {
        try {
          const e = deriveExtra(rounds, c.key, DEFAULT_FAULT_NS);
          extras[c.key] = e;
          extra = `${Math.round(e.extraNs)} ns (${pct(e.share)}; quartiles ${pct(e.shareQ1)} to ${pct(e.shareQ3)})`;
        } catch (err) {
          problems.push((err as Error).message);
          extra = 'not per page';
        }
      }
    } else extra = 'large folios: not per page';
    return [
      c.key,
      fsLabel(c.fs),
      c.fill === 'writes' ? '4 KiB writes' : 'faults',
      r.faultsPerStore.toFixed(3),
      Math.round(r.nsPerFault).toString(),
      Math.round(r.nsPerStore).toString(),
      extra,
      c.role,
    ];
  });
  const header = [
    'case',
    'filesystem',
    'file filled by',
    'faults/store',
    'ns/fault',
    'ns/store',
    'extra over generic, per page',
    'for',
  ];
  const lines = [
    `fault paths: page_fault3's loop (plainLoop), ${rounds.length} rounds of one ${pages}-page pass per case on a new file, in CPU time; ` +
      `filesystems made here, mounted -o ${SCRATCH_MOUNT_OPTIONS}`,
    ...textTable(header, body, (i) => (i <= 2 || i >= 6 ? 'left' : 'right')).map((l) => `  ${l}`),
    ...skipped.map((s) => `  skipped: ${s}`),
    ...problems.map((p) => `  not derived: ${p}`),
  ];
  const out: Partial<Record<keyof PathExtras, number>> = {};
  for (const [key, field] of [
    ['ext4', 'ext4MkwriteNs'],
    ['xfs', 'xfsMkwriteNs'],
  ] as const) {
    const e = extras[key];
    if (e === undefined) continue;
    out[field] = e.hostNs;
    lines.push(
      `  ${field}: ${e.hostNs} ns here (median paired difference); for the default (2013) profile ` +
        `${pct(e.share)} of the ${DEFAULT_FAULT_NS} ns generic fault = ${e.defaultNs} ns`,
    );
  }
  const where = `page_fault3 per page with 4 KiB folios, ext4 and xfs minus ramfs, medians of ${rounds.length} paired rounds`;
  return { lines, extras: out, where };
}

/** Makes the filesystems this machine allows, measures, formats, and takes them down again (also on a throw). */
export function runFaultPathStep(
  addon: NativeAddon,
  shell: ScratchShell,
  opts: { quick: boolean; tmpRoot?: string },
): FaultPathResult {
  const mounts = new ScratchMounts(shell, opts.tmpRoot);
  const skipped: string[] = [];
  let result: FaultPathResult;
  try {
    const dirs = new Map<ScratchKind, string>();
    for (const kind of new Set(CASES.map((c) => c.fs))) {
      try {
        const why = mounts.whyNot(kind);
        if (why !== null) throw new Error(why);
        dirs.set(kind, mounts.make(kind, IMAGE_MIB[kind]));
      } catch (e) {
        skipped.push(`${fsLabel(kind)}: ${(e as Error).message}`);
      }
    }
    if (dirs.has('ramfs')) {
      const cases = CASES.filter((c) => dirs.has(c.fs)).map((c) => ({
        key: c.key,
        dir: dirs.get(c.fs)!,
        fill: c.fill,
      }));
      result = formatFaultPaths(measureFaultPaths(addon, cases, { quick: opts.quick }), skipped);
    } else {
      const why = skipped.join('; ');
      result = {
        lines: [`fault paths: not measured (no ramfs for the generic path): ${why}`],
        extras: {},
        where: `not measured: ${why}`,
      };
    }
  } finally {
    // Runs on a throw too; what it could not undo is reported below, or lost with the throw's one line.
    skipped.length = 0;
    skipped.push(...mounts.release());
  }
  return skipped.length === 0
    ? result
    : { ...result, lines: [...result.lines, ...skipped.map((l) => `  clean-up: ${l}`)] };
}
