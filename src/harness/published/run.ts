/**
 * `validate:published`: runs the bench sweeps that give each published
 * figure's model value (the bench's own parser and sweep, so every figure is
 * what `faultscale bench` prints for the same command line), once per HZ for
 * the figures that depend on the tick, and pairs each with its published
 * value.
 */
import path from 'node:path';

import { parseBenchArgs } from '../options.js';
import { configKey, runSweep, type SweepIO } from '../sweep.js';
import type { Row } from '../../rows/rows.js';
import {
  PUBLISHED_FIGURES,
  withinTolerance,
  type BenchRun,
  type ModelFigure,
  type PublishedFigure,
} from './figures.js';

export interface PublishedLine {
  readonly figure: PublishedFigure;
  /** The HZ the model ran at; null for figures that do not depend on the tick. */
  readonly hz: number | null;
  readonly model: ModelFigure | null;
  /** model − published; null when the model's runs failed. */
  readonly gap: number | null;
  readonly within: boolean | null;
  /** Why there is no model figure, when there is none. */
  readonly error: string | null;
}

export interface PublishedOptions {
  readonly hz: readonly number[];
  readonly seed: number;
  /** Where the sweeps' CSVs are written. */
  readonly dir: string;
}

interface Measured {
  readonly rows: Row[];
  readonly perRun: Map<string, number[]>;
  readonly errors: string[];
}

/** Runs one bench command line (once per distinct line: figures share runs). */
async function measure(
  run: BenchRun,
  o: PublishedOptions,
  index: number,
  env: { cores: number; cwd: string },
  io: SweepIO,
  signal?: AbortSignal,
): Promise<Measured> {
  const csv = path.join(o.dir, `published-${index}.csv`);
  const parsed = parseBenchArgs([...run, '--seed', String(o.seed), '--csv', csv, '--force'], {
    ...env,
    now: new Date(),
  });
  if (parsed.kind !== 'run') throw new Error(`bench ${run.join(' ')} did not parse to a run`);
  io.err(`validate:published: faultscale bench ${run.join(' ')}`);
  const out = await runSweep(
    parsed.options,
    env.cores,
    { out: (l) => io.err(`  | ${l}`), err: (l) => io.err(`  | ${l}`) },
    signal,
  );
  const perRun = new Map(Object.entries(out.samples).map(([k, xs]) => [k, xs.map((x) => x.faultsPerSec)]));
  return { rows: out.rows.filter((r) => r.status === 'ok'), perRun, errors: out.errors };
}

export async function runPublished(
  o: PublishedOptions,
  env: { cores: number; cwd: string },
  io: SweepIO,
  signal?: AbortSignal,
): Promise<PublishedLine[]> {
  const done = new Map<string, Measured>();
  const lines: PublishedLine[] = [];
  for (const figure of PUBLISHED_FIGURES) {
    for (const hz of figure.perHz ? o.hz : [null]) {
      const runs = figure.runs(hz ?? 250);
      const got: Measured[] = [];
      for (const run of runs) {
        const key = JSON.stringify(run);
        if (!done.has(key)) done.set(key, await measure(run, o, done.size, env, io, signal));
        got.push(done.get(key)!);
      }
      const rows = got.flatMap((g) => g.rows);
      // The sweep keeps each configuration's samples under its key; one sweep per lock.
      const perRun = (r: Row): number[] => got.find((g) => g.rows.includes(r))?.perRun.get(configKey(r)) ?? [];
      const errors = got.flatMap((g) => g.errors);
      try {
        const model = figure.model(rows, perRun);
        const gap = model.value - figure.published;
        lines.push({ figure, hz, model, gap, within: withinTolerance(figure, model.value), error: null });
      } catch (e) {
        lines.push({ figure, hz, model: null, gap: null, within: null, error: errors[0] ?? (e as Error).message });
      }
      if (signal?.aborted) return lines;
    }
  }
  return lines;
}
