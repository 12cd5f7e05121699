/**
 * The one SharedArrayBuffer that holds all model state. Every index into it
 * is named here; call sites never use bare numbers. Memory is counted in
 * Int32 slots; a "line" is 16 slots (64 bytes), the unit of cache-line
 * separation: anything written by one thread and read by others sits on its
 * own line unless sharing the line is part of what is being modelled.
 */
export const LINE = 16;
export const BYTES_PER_SLOT = 4;

// ---- control block: one line per field, so polling one never bounces another
export const CTL_PHASE = 0 * LINE;
export const CTL_READY = 1 * LINE;
export const CTL_WRITERS_DONE = 2 * LINE;
export const CTL_JIFFIES = 3 * LINE;
/** A slot nothing ever writes (a test hook's hang sleeps on it). */
export const CTL_IDLE_SLOT = 3 * LINE + 1;
/** Float64 slot (index into a Float64Array view) holding the epoch in ms of performance.timeOrigin time. */
export const CTL_EPOCH_F64 = (4 * LINE) / 2;
/** Multigrain's global floor: the latest fine-grained timestamp handed out (model µs); coarse stamps never go below it. */
export const CTL_MG_FLOOR = 5 * LINE;
/** Set (and notified) by the flusher once the end-of-run sync has written everything back. */
export const CTL_SYNCED = 6 * LINE;
export const CTL_LINES = 7;

export const PHASE_INIT = 0;
export const PHASE_RUN = 1;
export const PHASE_STOP = 2;

// ---- per-CPU block: counters line, lock-statistics lines, MCS node line, per-CPU CIL line
export const C_FAULTS = 0;
export const C_STORES = 1;
export const C_PASSES = 2;
export const C_TXNS = 3;
export const C_TIME_UPDATES = 4;
export const C_IVERSION_BUMPS = 5;
export const C_COMMITS = 6;
export const C_COMMIT_ITEMS = 7;
export const C_PAGES_WRITTEN = 8;
export const C_POLLS = 9;
export const C_SEQ_RETRIES = 10;
export const C_REFAULTS = 11;
/** Store-time samples this writer has published into its ring (see SAMPLE_EVERY). */
export const C_SAMPLE_HEAD = 12;
export const C_SAMPLES_DROPPED = 13;
/** Microseconds the observer spent polling (its CPU use). */
export const C_OBSERVER_BUSY_US = 14;
/** Not a counter: where this CPU's role is (ROLE_*), for the watchdog's diagnostic. */
export const C_ROLE_PHASE = 15;
export const ROLE_PHASES = ['not started', 'at the start barrier', 'running', 'winding down', 'done'] as const;
export const ROLE_AT_BARRIER = 1;
export const ROLE_RUNNING = 2;
export const ROLE_WINDING_DOWN = 3;
export const ROLE_DONE = 4;
/** Kernel target: this thread's real minor page faults (getrusage), on the counters' second line. */
export const C_MINOR_FAULTS = 16;
/** msync calls this writer made. */
export const C_MSYNCS = 17;
/** TLB shoot-down interrupts this CPU took (and spent). */
export const C_IPIS = 18;
/** PTEs this CPU write-protected while they were live (page_mkclean at writeback, msync, a query walk). */
export const C_WRPROTECTS = 19;
/**
 * Not counters. The generation of the mapping this writer has live (0: none): a PTE holding it is live, writable
 * and dirty, so page_mkclean knows which CPUs to shoot down. Written by the writer at mmap and munmap.
 */
export const C_MAP_GEN = 20;
/** Shoot-down interrupts sent to this CPU and not yet taken: other CPUs add, the writer takes them all at once. */
export const C_IPI_PENDING = 21;
/** Every counter by name, with its slot in the per-CPU counters block. */
export const COUNTER_SLOTS = {
  faults: C_FAULTS,
  stores: C_STORES,
  passes: C_PASSES,
  txns: C_TXNS,
  timeUpdates: C_TIME_UPDATES,
  iversionBumps: C_IVERSION_BUMPS,
  commits: C_COMMITS,
  commitItems: C_COMMIT_ITEMS,
  pagesWritten: C_PAGES_WRITTEN,
  polls: C_POLLS,
  seqRetries: C_SEQ_RETRIES,
  refaults: C_REFAULTS,
  sampleHead: C_SAMPLE_HEAD,
  samplesDropped: C_SAMPLES_DROPPED,
  observerBusyUs: C_OBSERVER_BUSY_US,
  minorFaults: C_MINOR_FAULTS,
  msyncs: C_MSYNCS,
  ipis: C_IPIS,
  wrprotects: C_WRPROTECTS,
} as const;
export type CounterName = keyof typeof COUNTER_SLOTS;
export const COUNTER_NAMES = Object.keys(COUNTER_SLOTS) as CounterName[];

/** Lock classes: statistics are kept per CPU per class, so counting never adds contention of its own. */
export const LOCK_CLASSES = ['hot', 'list', 'buffer', 'inode', 'page', 'ctx', 'grant'] as const;
export type LockClass = (typeof LOCK_CLASSES)[number];
export const LC_HOT = 0;
export const LC_LIST = 1;
export const LC_BUFFER = 2;
export const LC_INODE = 3;
export const LC_PAGE = 4;
export const LC_CTX = 5;
export const LC_GRANT = 6;
export const LS_ACQ = 0;
export const LS_CONTENDED = 1;
export const LS_SPINS = 2;
export const LS_PARKS = 3;
export const LS_FIELDS = 4;

export const CPU_COUNTERS = 0;
export const CPU_LOCKSTATS = 2 * LINE;
const LOCKSTAT_LINES = Math.ceil((LOCK_CLASSES.length * LS_FIELDS) / LINE);
export const CPU_MCS = CPU_LOCKSTATS + LOCKSTAT_LINES * LINE;
export const MCS_NEXT = 0;
export const MCS_LOCKED = 1;
export const CPU_CIL = CPU_MCS + LINE;
export const PCIL_COUNT = 0;
export const PCIL_SPACE = 1;
export const CPU_SLOTS = CPU_CIL + LINE;

// ---- a lock instance occupies one line
export const L_STATE = 0;
export const L_NEXT = 1;
export const L_OWNER = 2;
/** A wait queue: waiter count and a generation word that waiters sleep on. */
export const L_WQ = 4;
export const WQ_WAITERS = 0;
export const WQ_GEN = 1;

// ---- journal block: J_LINES lines at layout.journalBase
// Two lines are every journal's: the hot lock, and the commit requests with the committed sequence
// (log.ts). The others belong to whichever journal runs, which names them in its own module
// (jbd2.ts, xfs-cil.ts) as J_* offsets from journalBase; test/model/journal-lines.test.ts checks that
// each journal's lines lie inside the block and clear of these two.
export const J_HOT = 0; // j_state_lock (jbd2) or xc_cil_lock (xfs-cil): the selectable lock
export const J_COMMIT = 4 * LINE; // commit requests and the committed sequence
export const JC_REQUEST = 0;
export const JC_COMMITTED = 1;
export const JC_RECORDS = 2;
export const JC_WQ = 4;
export const J_LINES = 9;

// ---- inode block: two lines per inode; the first is written by the fault path, the second by commits
export const I_LOCK = 0; // i_lock / ILOCK, a TTAS lock with its wait queue at I_LOCK + L_WQ
export const I_SEQ = 8; // seqcount guarding the timestamps and i_version
export const I_IVERSION = 9; // i_version << 1 | queried bit, as in the kernel since 4.16
export const I_MTIME = 10; // microseconds of model time
export const I_CTIME = 11;
export const I_FLAGS = 12;
export const I_DIRTIED_WHEN = 13; // when I_DIRTY_PAGES was set (coarse clock)
export const I_DIRTYTIME_WHEN = 14; // when I_DIRTY_TIME was set
export const I_CIL_CTX = 15; // CIL context the inode's log item sits in
export const I_DISK_IVERSION = LINE + 0;
export const I_DISK_MTIME = LINE + 1;
export const I_DISK_CTIME = LINE + 2;
export const I_DISK_TID = LINE + 3;
export const INODE_SLOTS = 2 * LINE;

export const IF_DIRTY_PAGES = 1 << 0;
export const IF_DIRTY_TIME = 1 << 1;
export const IF_CMTIME = 1 << 2; // AS_CMTIME (deferred): a PTE's dirty bit was moved to one of the mapping's pages
export const IF_CTIME_QUERIED = 1 << 3; // multigrain: ctime was read since it last changed
export const IVERSION_QUERIED = 1;
export const IVERSION_INCREMENT = 2;

// ---- inode-table buffers: ext4 packs 16 inodes of 256 bytes into one 4 KiB block
export const INODES_PER_BUFFER = 16;
export const B_LOCK = 0; // bh_state lock (TTAS + wait queue)
export const B_TID = 8; // transaction the buffer is filed in
export const BUFFER_SLOTS = LINE;

// ---- pages: four slots each (flags, data word, written-back copy, spare)
export const P_FLAGS = 0;
export const P_DATA = 1;
export const P_WBDATA = 2;
export const PAGE_SLOTS = 4;
export const PG_LOCKED = 1 << 0;
export const PG_DIRTY = 1 << 1;

/**
 * The page cache's dirty tag (PAGECACHE_TAG_DIRTY): one bit per page, 32 pages
 * to a word, each file's words on lines of their own. Set with PG_DIRTY and
 * cleared with it, both under the page lock, so writeback walks the dirty
 * pages alone, as the kernel's tagged lookup does, instead of every page.
 */
export const TAG_PAGES_PER_WORD = 32;
export const tagWordsPerFile = (pages: number): number =>
  Math.ceil(Math.ceil(pages / TAG_PAGES_PER_WORD) / LINE) * LINE;

/** Hashed wait queues for page locks, like the kernel's page_waitqueue table. */
export const PAGE_WQ_BUCKETS = 64;

/** Every SAMPLE_EVERY-th store of a writer records its time for the staleness figures. */
export const SAMPLE_EVERY = 256;
/** Per-writer ring of sampled store times (model µs); the observer's read cursor for it sits on its own line. */
export const SAMPLE_RING = 8192;

/** Journal log: a ring of committed records (tid, inode, i_version, mtime). */
export const LOG_RECORD_SLOTS = 4;
export const LOG_CAPACITY = 4096;

export interface LayoutInput {
  /** Simulated CPUs: writers, service roles and the coordinator. */
  readonly cpus: number;
  readonly writers: number;
  readonly files: number;
  readonly pages: number;
}

export interface Layout extends LayoutInput {
  readonly cpuBase: number;
  readonly journalBase: number;
  readonly inodeBase: number;
  readonly buffers: number;
  readonly bufferBase: number;
  readonly bufListBase: number;
  readonly pcilListBase: number;
  readonly pageWqBase: number;
  readonly logBase: number;
  readonly pageBase: number;
  readonly dirtyTagBase: number;
  readonly pteBase: number;
  readonly sampleRingBase: number;
  readonly sampleTailBase: number;
  readonly slots: number;
  readonly bytes: number;
}

const alignLine = (n: number): number => Math.ceil(n / LINE) * LINE;

export function makeLayout(input: LayoutInput): Layout {
  const { cpus, writers, files, pages } = input;
  const buffers = Math.ceil(files / INODES_PER_BUFFER);
  let at = CTL_LINES * LINE;
  const cpuBase = at;
  at += cpus * CPU_SLOTS;
  const journalBase = at;
  at += J_LINES * LINE;
  const inodeBase = at;
  at += files * INODE_SLOTS;
  const bufferBase = at;
  at += buffers * BUFFER_SLOTS;
  const bufListBase = at;
  at = alignLine(at + Math.max(buffers, files));
  const pcilListBase = at;
  at = alignLine(at + cpus * files);
  const pageWqBase = at;
  at += PAGE_WQ_BUCKETS * LINE;
  const logBase = at;
  at += LOG_CAPACITY * LOG_RECORD_SLOTS;
  const pageBase = at;
  at = alignLine(at + files * pages * PAGE_SLOTS);
  const dirtyTagBase = at;
  at += files * tagWordsPerFile(pages);
  const pteBase = at;
  at = alignLine(at + writers * pages);
  const sampleRingBase = at;
  at += writers * SAMPLE_RING;
  const sampleTailBase = at;
  at += writers * LINE;
  return {
    ...input,
    cpuBase,
    journalBase,
    inodeBase,
    buffers,
    bufferBase,
    bufListBase,
    pcilListBase,
    pageWqBase,
    logBase,
    pageBase,
    dirtyTagBase,
    pteBase,
    sampleRingBase,
    sampleTailBase,
    slots: at,
    bytes: at * BYTES_PER_SLOT,
  };
}

export const cpuAt = (l: Layout, cpu: number): number => l.cpuBase + cpu * CPU_SLOTS;
export const inodeAt = (l: Layout, ino: number): number => l.inodeBase + ino * INODE_SLOTS;
export const bufferAt = (l: Layout, ino: number): number =>
  l.bufferBase + Math.floor(ino / INODES_PER_BUFFER) * BUFFER_SLOTS;
export const pageAt = (l: Layout, file: number, page: number): number =>
  l.pageBase + (file * l.pages + page) * PAGE_SLOTS;
/** The dirty-tag word holding `page` of `file`; its bit is 1 << (page % TAG_PAGES_PER_WORD). */
export const dirtyTagAt = (l: Layout, file: number, page: number): number =>
  l.dirtyTagBase + file * tagWordsPerFile(l.pages) + Math.floor(page / TAG_PAGES_PER_WORD);
export const pteTableAt = (l: Layout, writer: number): number => l.pteBase + writer * l.pages;
export const pageWqAt = (l: Layout, pageSlot: number): number =>
  l.pageWqBase + ((pageSlot >>> 2) % PAGE_WQ_BUCKETS) * LINE;
export const lockStatAt = (l: Layout, cpu: number, cls: number): number =>
  cpuAt(l, cpu) + CPU_LOCKSTATS + cls * LS_FIELDS;
export const sampleRingAt = (l: Layout, writer: number): number => l.sampleRingBase + writer * SAMPLE_RING;
export const sampleTailAt = (l: Layout, writer: number): number => l.sampleTailBase + writer * LINE;
