/** From the measurements to the `host` cost profile, and writing it. */
import { writeFileAtomic } from '../../rows/write-atomic.js';
import { PROFILES, type CostProfile } from '../../model/profiles.js';

/** How the measured fault is split between the steps the model charges per fault. */
export const FAULT_SPLIT = { faultEntryNs: 0.8, mkwriteNs: 0.2 } as const;

/** Journal steps, split in the default profile's proportions. */
export const JOURNAL_FIELDS = ['handleStartNs', 'hotLockNs', 'inodeDirtyNs', 'handleStopNs'] as const;
/** The fault paths' extras over the generic page_mkwrite (model/fault-paths.ts). */
export const PATH_FIELDS = ['ext4MkwriteNs', 'xfsMkwriteNs'] as const;
export type PathExtras = { readonly [K in (typeof PATH_FIELDS)[number]]: number | null };
/** Steps not measured here: the default profile's, scaled by measured fault / default fault. */
export const SCALED_FIELDS = [
  'commitNs',
  'commitPerItemNs',
  'pageWriteNs',
  'getattrNs',
  'msyncNs',
  'rmapWalkNs',
  'pteProtectNs',
  'tlbShootdownNs',
  'ipiNs',
] as const;

export const DEFAULT_FAULT_NS = PROFILES.default.faultEntryNs + PROFILES.default.mkwriteNs;
export const DEFAULT_JOURNAL_NS = JOURNAL_FIELDS.reduce((s, k) => s + PROFILES.default[k], 0);

export interface DeriveInput {
  /** Cost of one write fault, ns (> 0). */
  faultNs: number;
  /** mmap + munmap per pass, ns (>= 0). */
  mmapNs: number;
  /** The journal's cost of one inode update, ns (>= 0; negative is clamped to 0); null when not measured. */
  journalNs: number | null;
  /** Where and when: for the description. */
  kernel: string;
  faultWhere: string;
  journalWhere: string | null;
  /** Why the journal was not measured (when journalNs is null). */
  journalSkipReason?: string | null;
  /** Each fault path's measured extra over the generic path, host ns (>= 0); null (or absent) where not measured. */
  pathExtras?: Partial<PathExtras>;
  /** Where the path extras come from, or why they were not measured. */
  pathsWhere?: string;
  when: Date;
  /** Extra detail for the description (faults per store, raw per-call times, …). */
  notes?: readonly string[];
}

/** `total` split into non-negative integers proportional to `weights`, summing to round(total) (largest remainder). */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  const sumW = weights.reduce((s, w) => s + w, 0);
  const target = Math.max(0, Math.round(total));
  if (!(sumW > 0)) return weights.map(() => 0);
  const exact = weights.map((w) => (target * w) / sumW);
  const floor = exact.map(Math.floor);
  let left = target - floor.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floor[i] = floor[i]! + 1;
    left--;
  }
  return floor;
}

const fmtNs = (x: number): string => (Number.isFinite(x) ? `${Math.round(x)} ns` : String(x));

/**
 * The `host` profile from measured costs:
 *  - faultEntryNs / mkwriteNs: the fault cost split 80% / 20% (FAULT_SPLIT);
 *  - mmapNs: the per-pass cost;
 *  - handleStartNs, hotLockNs, inodeDirtyNs, handleStopNs: the journal cost split
 *    in the default profile's proportions (80:40:120:60); when the journal was
 *    not measured, the default's values scaled like the unmeasured steps;
 *  - ext4MkwriteNs / xfsMkwriteNs: the measured extras (fault-path-cost.ts);
 *    where one was not measured, the default's scaled like the unmeasured steps;
 *  - commitNs, commitPerItemNs, pageWriteNs, getattrNs, and the msync, rmap-walk,
 *    PTE write-protect and shoot-down costs: the default's, scaled by
 *    measured fault / default fault (faultEntryNs + mkwriteNs = 750 ns).
 * Every field is a whole number of nanoseconds >= 0. Throws on non-finite input.
 */
export function deriveHostProfile(m: DeriveInput): CostProfile {
  checkDeriveInput(m);
  const d = PROFILES.default;
  const scale = m.faultNs / DEFAULT_FAULT_NS;
  const [faultEntryNs, mkwriteNs] = splitByWeights(m.faultNs, [FAULT_SPLIT.faultEntryNs, FAULT_SPLIT.mkwriteNs]) as [
    number,
    number,
  ];
  const journalTotal = m.journalNs === null ? DEFAULT_JOURNAL_NS * scale : Math.max(0, m.journalNs);
  const j = splitByWeights(
    journalTotal,
    JOURNAL_FIELDS.map((k) => d[k]),
  );
  const journal = Object.fromEntries(JOURNAL_FIELDS.map((k, i) => [k, j[i]!])) as Record<
    (typeof JOURNAL_FIELDS)[number],
    number
  >;
  const scaled = Object.fromEntries(SCALED_FIELDS.map((k) => [k, Math.round(d[k] * scale)])) as Record<
    (typeof SCALED_FIELDS)[number],
    number
  >;
  const extras = pathExtras(m, scale);
  return {
    name: 'host',
    version: 1,
    description: describeHostProfile(m, scale, journalTotal, extras),
    faultEntryNs,
    mkwriteNs,
    ext4MkwriteNs: extras.ext4MkwriteNs,
    xfsMkwriteNs: extras.xfsMkwriteNs,
    mmapNs: Math.round(m.mmapNs),
    handleStartNs: journal.handleStartNs,
    handleStopNs: journal.handleStopNs,
    inodeDirtyNs: journal.inodeDirtyNs,
    hotLockNs: journal.hotLockNs,
    commitNs: scaled.commitNs,
    commitPerItemNs: scaled.commitPerItemNs,
    pageWriteNs: scaled.pageWriteNs,
    getattrNs: scaled.getattrNs,
    msyncNs: scaled.msyncNs,
    rmapWalkNs: scaled.rmapWalkNs,
    pteProtectNs: scaled.pteProtectNs,
    tlbShootdownNs: scaled.tlbShootdownNs,
    ipiNs: scaled.ipiNs,
  };
}

/** Throws on a fault cost that is not > 0, an mmap cost below 0, or a non-finite journal cost. */
function checkDeriveInput(m: DeriveInput): void {
  if (!(Number.isFinite(m.faultNs) && m.faultNs > 0))
    throw new Error(`fault cost must be a finite number > 0 ns, got ${m.faultNs}`);
  if (!(Number.isFinite(m.mmapNs) && m.mmapNs >= 0))
    throw new Error(`mmap cost must be a finite number >= 0 ns, got ${m.mmapNs}`);
  if (m.journalNs !== null && !Number.isFinite(m.journalNs))
    throw new Error(`journal cost must be finite, got ${m.journalNs}`);
}

/** The page_mkwrite extras: each measured one, else the default's scaled like the unmeasured steps. */
function pathExtras(m: DeriveInput, scale: number): Record<(typeof PATH_FIELDS)[number], number> {
  const d = PROFILES.default;
  return Object.fromEntries(
    PATH_FIELDS.map((k) => {
      const v = m.pathExtras?.[k] ?? null;
      if (v !== null && !(Number.isFinite(v) && v >= 0))
        throw new Error(`${k} must be a finite number >= 0 ns, got ${v}`);
      return [k, Math.round(v ?? d[k] * scale)];
    }),
  ) as Record<(typeof PATH_FIELDS)[number], number>;
}

/** The profile's description: when and where it was calibrated, and where each cost came from. */
function describeHostProfile(
  m: DeriveInput,
  scale: number,
  journalTotal: number,
  extras: Record<(typeof PATH_FIELDS)[number], number>,
): string {
  const unmeasured = PATH_FIELDS.filter((k) => (m.pathExtras?.[k] ?? null) === null);
  const pathText =
    `page_mkwrite extras ext4 ${fmtNs(extras.ext4MkwriteNs)}, xfs ${fmtNs(extras.xfsMkwriteNs)} over the generic path` +
    (m.pathsWhere ? ` (${m.pathsWhere})` : '') +
    (unmeasured.length > 0 ? `; ${unmeasured.join(' and ')}: the default profile's x ${scale.toFixed(2)}` : '');

  const journalText =
    m.journalNs === null
      ? `journalled inode update not measured (${m.journalSkipReason ?? 'skipped'}): journal steps are the default profile's x ${scale.toFixed(2)}`
      : `journalled inode update ${fmtNs(journalTotal)} (${m.journalWhere ?? 'futimes'}), split like the default profile`;
  return (
    [
      `Calibrated by npm run calibrate on ${m.when.toISOString()}, kernel ${m.kernel}`,
      `write fault ${fmtNs(m.faultNs)} per real minor fault (${m.faultWhere}), split ${FAULT_SPLIT.faultEntryNs * 100}% fault entry / ${FAULT_SPLIT.mkwriteNs * 100}% page_mkwrite`,
      `mmap+munmap ${fmtNs(m.mmapNs)} per pass`,
      pathText,
      journalText,
      `commit, page write, getattr, msync, rmap walk and TLB shoot-down: the default profile's x ${scale.toFixed(2)} (measured fault / default ${DEFAULT_FAULT_NS} ns)`,
      ...(m.notes ?? []),
    ].join('; ') + '.'
  );
}

/** Writes the profile as JSON atomically, creating its directories. */
export function writeProfile(file: string, profile: CostProfile): void {
  writeFileAtomic(file, `${JSON.stringify(profile, null, 2)}\n`, { mkdir: true });
}
