/**
 * A sweep: every (workload, journal, strategy, threads) configuration, each
 * run `runs` times, in four stages (sweep/): plan every configuration's
 * state, measure its runs, write the files (the CSV after each
 * configuration, so an interruption keeps what was measured), and summarise
 * what was found.
 */
import type { RunSample } from '../targets/target.js';
import type { BenchOptions } from './options.js';
import type { Row } from '../rows/rows.js';
import { sweepFiles } from './sweep/files.js';
import { measureSweep } from './sweep/measure.js';
import { configKey, planSweep, rowsOf, runsByRow, setUpSweep, type ConfigKey } from './sweep/plan.js';
import { announce, fitUsl, sayEnded, summarise } from './sweep/summary.js';
import type { SweepIO } from './sweep/io.js';

export { configKey, type ConfigKey };
export type { SweepIO };

export interface SweepOutcome {
  readonly rows: Row[];
  /** Each measured configuration's runs, in run order, by its key (preset|workload|journal|strategy|threads). */
  readonly samples: Record<ConfigKey, RunSample[]>;
  /** Configurations that failed, one line each. */
  readonly errors: string[];
  /** The signal that interrupted the sweep, if one did. */
  readonly interrupted: string | null;
}

export async function runSweep(
  opts: BenchOptions,
  cores: number,
  io: SweepIO,
  signal?: AbortSignal,
): Promise<SweepOutcome> {
  const setup = setUpSweep(opts, cores);
  announce(setup, opts, io);
  const plan = planSweep(setup, opts);
  const files = sweepFiles(plan, opts, io);
  const measured = await measureSweep(plan, opts, io, files.saveRows, signal);
  const rows = rowsOf(plan);
  const runs = runsByRow(plan);
  const usl = fitUsl(rows, runs);
  files.writeResults(measured, rows, usl);
  summarise(rows, measured.outliers, usl, io);
  await files.writeReport(rows, runs);
  sayEnded(opts, rows, measured, io);
  return { rows, samples: measured.samples, errors: measured.errors, interrupted: measured.interrupted };
}
