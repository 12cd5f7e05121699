/**
 * What the watchdog prints when a run stops making progress: the state of
 * every lock (and who holds it), the journal, and where each thread's role is.
 */
import type { ModelConfig, Role } from './config.js';
import {
  B_LOCK,
  BUFFER_SLOTS,
  C_FAULTS,
  C_ROLE_PHASE,
  C_STORES,
  CPU_COUNTERS,
  CTL_PHASE,
  CTL_WRITERS_DONE,
  I_LOCK,
  J_HOT,
  L_NEXT,
  L_OWNER,
  L_STATE,
  L_WQ,
  P_FLAGS,
  PG_LOCKED,
  ROLE_PHASES,
  WQ_WAITERS,
  cpuAt,
  inodeAt,
  pageAt,
} from './layout.js';
import { JOURNALS } from './journals/index.js';
import { lockIsFree } from './locks/locks.js';

export function roleOf(cfg: ModelConfig, cpu: number): Role | 'coordinator' {
  if (cpu < cfg.writers) return 'writer';
  return cfg.services[cpu - cfg.writers] ?? 'coordinator';
}

export function diagnose(i32: Int32Array, cfg: ModelConfig): string[] {
  const l = cfg.layout;
  const j = l.journalBase;
  const out: string[] = [];
  const phase = ['init', 'run', 'stop'][Atomics.load(i32, CTL_PHASE)] ?? '?';
  out.push(`run phase ${phase}; writers finished ${Atomics.load(i32, CTL_WRITERS_DONE)}/${cfg.writers}`);

  const lockLine = (name: string, at: number): string => {
    const owner = Atomics.load(i32, at + L_OWNER);
    const holder = owner > 0 ? `held by cpu ${owner - 1} (${roleOf(cfg, owner - 1)})` : 'no recorded holder';
    const state = `state ${Atomics.load(i32, at + L_STATE)}, next ${Atomics.load(i32, at + L_NEXT)}`;
    return `  ${name}: ${lockIsFree(i32, at) ? 'free' : 'taken'} (${state}; ${holder}; ${Atomics.load(i32, at + L_WQ + WQ_WAITERS)} parked)`;
  };
  out.push('locks:');
  out.push(lockLine(`journal hot lock (${cfg.lock})`, j + J_HOT));
  for (const { name, slot } of JOURNALS[cfg.journal].locks) out.push(lockLine(name, j + slot));
  const held: string[] = [];
  for (let ino = 0; ino < l.files; ino++)
    if (!lockIsFree(i32, inodeAt(l, ino) + I_LOCK)) held.push(lockLine(`inode ${ino} lock`, inodeAt(l, ino) + I_LOCK));
  for (let b = 0; b < l.buffers; b++) {
    const at = l.bufferBase + b * BUFFER_SLOTS + B_LOCK;
    if (!lockIsFree(i32, at)) held.push(lockLine(`buffer ${b} lock`, at));
  }
  let pagesLocked = 0;
  for (let f = 0; f < l.files; f++)
    for (let p = 0; p < l.pages; p++) if (Atomics.load(i32, pageAt(l, f, p) + P_FLAGS) & PG_LOCKED) pagesLocked++;
  out.push(...held, `  page locks held: ${pagesLocked}`);

  out.push(`journal (${cfg.journal}): ${JOURNALS[cfg.journal].diagnose(i32, j)}`);
  out.push('threads:');
  for (let c = 0; c < l.cpus - 1; c++) {
    const ctr = cpuAt(l, c) + CPU_COUNTERS;
    out.push(
      `  cpu ${c} ${roleOf(cfg, c)}: ${ROLE_PHASES[Atomics.load(i32, ctr + C_ROLE_PHASE)] ?? '?'}, ` +
        `${Atomics.load(i32, ctr + C_STORES)} stores, ${Atomics.load(i32, ctr + C_FAULTS)} faults`,
    );
  }
  return out;
}
