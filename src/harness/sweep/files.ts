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
import type { BenchOptions } from '../bench-options/index.js';
import type { SweepIO } from './io.js';
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
  writeResultFiles(opts.outputs.csvPath, rows, runs);
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
  const { order, seed, adaptive, shard } = opts.plan;
  return {
    context: contextJson(plan.context, { target: plan.target.name, ...plan.machine, seed }),
    harness_version: plan.context.harness_version,
    options: opts,
    profile: opts.sweep.profile.costProfile,
    cores: plan.cores,
    node_version: process.version,
    errors: m.errors,
    interrupted: m.interrupted,
    rows,
    tradeoff: tradeoff(rows),
    run_order: { order, seed, adaptive, shard, sequence: m.sequence },
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
  fs.mkdirSync(path.dirname(opts.outputs.csvPath), { recursive: true });
  saveRows(plan, opts);
  return {
    saveRows: () => saveRows(plan, opts),
    writeResults(m, rows, usl) {
      if (opts.outputs.jsonPath) {
        writeFileAtomic(opts.outputs.jsonPath, JSON.stringify(sweepJson(plan, opts, m, rows, usl), null, 2) + '\n');
      }
      if (opts.outputs.markdownPath) writeFileAtomic(opts.outputs.markdownPath, sweepMarkdown(rows));
      // A baseline stands for a whole sweep: an interrupted one would compare as if configurations had vanished.
      if (opts.outputs.baselinePath && !m.interrupted && rows.length > 0) {
        saveBaseline(opts.outputs.baselinePath, opts.outputs.csvPath);
        io.err(`baseline saved to ${opts.outputs.baselinePath}`);
      }
    },
    async writeReport(rows, runs) {
      if (!opts.outputs.reportPath || okRows(rows).length === 0) return;
      const html = await renderReport(rows, {
        source: opts.outputs.csvPath,
        csvHref: csvHref(opts.outputs.reportPath, opts.outputs.csvPath),
        runs,
      });
      writeFileAtomic(opts.outputs.reportPath, html);
      io.err(`report written to ${opts.outputs.reportPath}`);
    },
  };
}
