/**
 * The kernel target: will-it-scale's page_fault3 on this machine's kernel,
 * in the native addon, inside the same workers, barrier and counters as the
 * model. It has one journal (the filesystem of the directory) and one
 * strategy (the kernel's own), no background roles but the observer (fstat
 * of every file), and keeps no pages in shared memory: they live in real
 * files, created and unlinked per run. Its time is real: a kernel second is
 * a second, so its rows have time scale 1.
 */
import type { ModelConfig } from '../../model/config.js';
import { checkKernelCounters } from '../../model/state.js';
import type { RunResources, SweepConfig, SweepLists, Target, WriterMode } from '../target.js';
import { fsInfo, kernelVersion } from './fsinfo.js';
import { loadNative } from './native.js';

export function kernelTarget(dir: string, mode: WriterMode = 'threads'): Target {
  const fs0 = fsInfo(dir);
  const facts = { kernelVersion: kernelVersion(), fsType: fs0.fsType, mountOptions: fs0.mountOptions };
  return {
    name: 'kernel',
    unavailable: () => {
      const native = loadNative();
      return native.ok ? null : native.reason;
    },
    // The filesystem has one way of keeping times: the sweep's journal and strategy lists do not apply.
    configurations: (lists: SweepLists): SweepConfig[] =>
      lists.workloads.flatMap((workload) =>
        lists.threads.map((threads) => ({ workload, journal: 'none', strategy: 'none', threads }) as const),
      ),
    notes: () => [
      `kernel target: ${dir} is ${facts.fsType} (${facts.mountOptions}) on kernel ${facts.kernelVersion}; writers as ${mode}`,
    ],
    facts,
    // No timer, flusher or journal thread: the kernel has its own. The observer is a client, so it stays.
    services: (_journal, observerIntervalMs) => (observerIntervalMs > 0 ? ['observer'] : []),
    timeScale: () => 1,
    mode,
    sharedPages: () => 1,
    warmsModel: false,
    countsMinorFaults: true,
    label: (c) => `target=kernel mode=${mode} fs=${facts.fsType} workload=${c.workload} threads=${c.threads}`,
    identity: () => ({ journal: facts.fsType, strategy: 'kernel', lock: '' }),
    open: (cfg: ModelConfig): RunResources => openFiles(dir, cfg),
    settle: (sab, cfg) => checkKernelCounters(new Int32Array(sab), cfg),
  };
}

/** One file per writer (separate-file) or one for all (shared-file), of the configured size. */
function openFiles(dir: string, cfg: ModelConfig): RunResources {
  const native = loadNative();
  if (!native.ok) throw new Error(`the kernel target is unavailable: ${native.reason}`);
  const { addon } = native;
  const fds: number[] = [];
  try {
    for (let f = 0; f < cfg.layout.files; f++) fds.push(addon.openUnlinked(dir, cfg.filePages * 4096));
  } catch (e) {
    for (const fd of fds) addon.close(fd);
    throw new Error(
      `cannot create the kernel target's files in ${dir}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  return { fds, close: () => fds.forEach((fd) => addon.close(fd)) };
}
