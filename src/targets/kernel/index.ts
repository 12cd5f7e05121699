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
import type { SweepConfig, SweepLists, Target, WriterMode } from '../target.js';
import { ThreadsCoordinator, poolSize, type RunResources } from '../threads/coordinator.js';
import { unitsOnThreads } from '../threads/units.js';
import { fsInfo, kernelVersion } from './fsinfo.js';
import { loadNative } from './native.js';

export function kernelTarget(dir: string, mode: WriterMode = 'threads'): Target {
  const fs0 = fsInfo(dir);
  const facts = { kernelVersion: kernelVersion(), fsType: fs0.fsType, mountOptions: fs0.mountOptions };
  const threads = new ThreadsCoordinator({
    roles: 'kernel',
    mode,
    open: (cfg) => openFiles(dir, cfg),
    settle: (sab, cfg) => checkKernelCounters(new Int32Array(sab), cfg),
  });
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
    // Its time is real (a kernel second is a second) and its tick its own: neither is the sweep's to set.
    facts: () => ({
      mode,
      ...facts,
      countsMinorFaults: true,
      realWriters: true,
      timeScale: 1,
      hz: NaN,
      hardware: '',
      topology: '',
    }),
    identity: (c) => ({
      journal: facts.fsType,
      strategy: 'kernel',
      lock: '',
      label: `target=kernel mode=${mode} fs=${facts.fsType} workload=${c.workload} threads=${c.threads}`,
    }),
    // No timer, flusher or journal thread: the kernel has its own. The observer is a client, so it stays.
    services: (_journal, observerIntervalMs) => (observerIntervalMs > 0 ? ['observer'] : []),
    sharedPages: () => 1,
    unitsPerNs: unitsOnThreads,
    parallelRuns: 1,
    // No model kernel to warm up: the pool is only sized.
    prepare: (preview) => threads.reserve(poolSize(preview.configs)),
    run: (request) => threads.run(request),
    close: () => threads.close(),
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
