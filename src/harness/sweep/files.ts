/**
 * What the sweep writes. After every configuration the CSV (and its per-run
 * sidecar) is rewritten whole, atomically, so a failure or an interruption
 * later in the sweep keeps every row measured before it and never leaves a
 * half-written file. At the end: the JSON, the Markdown table, the baseline
 * and the HTML report, each where the options ask for it.
 */
import fs from 'node:fs';
import path from 'node:path';

import { modifiedZScores } from '../../analysis/outliers.js';
import { tradeoff } from '../../analysis/tradeoff.js';
import { uslJson, type UslSeries } from '../../analysis/usl-series.js';
import { csvHref, renderReport } from '../../output/report/index.js';
import { sweepMarkdown } from '../../output/sweep-markdown.js';
import { okRows, type Row } from '../../rows/rows.js';
import { runRecord } from '../../rows/runs.js';
import { applySpeedups } from '../../rows/speedup.js';
import { writeResultFiles } from '../../rows/write.js';
import { writeFileAtomic } from '../../rows/write-atomic.js';
import { saveBaseline } from '../baselines.js';
import { contextJson } from '../context.js';
import type { BenchOptions } from '../options.js';
import type { SweepIO } from '../sweep.js';
import type { Measurement } from './measure.js';
import { rowsOf, type SweepPlan } from './plan.js';

export interface SweepFiles {
  /** Rewrites the CSV and its sidecar from every row so far. */
  saveRows(): void;
  /** Once the sweep ended: the JSON, the Markdown table and the baseline. */
  writeResults(m: Measurement, rows: Row[], usl: UslSeries[]): void;
  /** The HTML report, from the rows and the runs behind them (by rowKey). */
  writeReport(rows: Row[], runs: ReadonlyMap<string, number[]>): Promise<void>;
}

/** The CSV's rows in the sweep's order, speedups from each series' 1-thread row; the sidecar, the per-run samples behind each. */
function saveRows(plan: SweepPlan, opts: BenchOptions): void {
  const rows = applySpeedups(rowsOf(plan));
  // The sidecar holds the per-run samples behind each row, for significance tests when comparing runs.
  const runs = [...plan.states.values()].flatMap(({ row, measured }) =>
    row && measured ? measured.faults.map((x, i) => runRecord(row, i + 1, x)) : [],
  );
  writeResultFiles(opts.csvPath, rows, runs);
}

/** Each finished configuration's runs, by key, in the order configurations finished. */
function runsJson(samples: Measurement['samples']): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(samples).map(([key, runs]) => {
      const z = modifiedZScores(runs.map((s) => s.faultsPerSec));
      const json = runs.map((s, i) => ({
        faults_per_sec: s.faultsPerSec,
        modified_z: z[i] ?? null,
        elapsed_sec: s.elapsedSec,
        idle_share: s.idleShare,
        per_thread_faults_per_sec: s.perThreadFaultsPerSec,
        counters: s.window.total,
        locks: s.window.locks,
      }));
      return [key, json];
    }),
  );
}

/** The JSON file: the sweep's context and options, its rows, the analyses over them, and every run. */
export function sweepJson(plan: SweepPlan, opts: BenchOptions, m: Measurement, rows: Row[], usl: UslSeries[]): object {
  return {
    context: contextJson(plan.context, { target: plan.target.name, ...plan.machine, seed: opts.seed }),
    harness_version: plan.context.harness_version,
    options: opts,
    profile: opts.costProfile,
    cores: plan.cores,
    node_version: process.version,
    errors: m.errors,
    interrupted: m.interrupted,
    rows,
    tradeoff: tradeoff(rows),
    run_order: { order: opts.order, seed: opts.seed, adaptive: opts.adaptive, shard: opts.shard, sequence: m.sequence },
    usl: uslJson(usl),
    outliers: m.outliers.map((o) => ({
      configuration: o.configuration,
      run: o.run,
      faults_per_sec: o.faultsPerSec,
      modified_z: o.z,
    })),
    runs: runsJson(m.samples),
  };
}

/** The sweep's files: the CSV's folder made and an empty CSV (with its sidecar) written before the first run. */
export function sweepFiles(plan: SweepPlan, opts: BenchOptions, io: SweepIO): SweepFiles {
  fs.mkdirSync(path.dirname(opts.csvPath), { recursive: true });
  saveRows(plan, opts);
  return {
    saveRows: () => saveRows(plan, opts),
    writeResults(m, rows, usl) {
      if (opts.jsonPath) {
        writeFileAtomic(opts.jsonPath, JSON.stringify(sweepJson(plan, opts, m, rows, usl), null, 2) + '\n');
      }
      if (opts.markdownPath) writeFileAtomic(opts.markdownPath, sweepMarkdown(rows));
      // A baseline stands for a whole sweep: an interrupted one would compare as if configurations had vanished.
      if (opts.baselinePath && !m.interrupted && rows.length > 0) {
        saveBaseline(opts.baselinePath, opts.csvPath);
        io.err(`baseline saved to ${opts.baselinePath}`);
      }
    },
    async writeReport(rows, runs) {
      if (!opts.reportPath || okRows(rows).length === 0) return;
      const html = await renderReport(rows, {
        source: opts.csvPath,
        csvHref: csvHref(opts.reportPath, opts.csvPath),
        runs,
      });
      writeFileAtomic(opts.reportPath, html);
      io.err(`report written to ${opts.reportPath}`);
    },
  };
}
