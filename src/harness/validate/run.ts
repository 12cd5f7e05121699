/**
 * `npm run validate:virtual`: the same sweep, through the bench's own parser
 * and sweep (parseBenchArgs, runSweep), once on real threads (`--target
 * model`) and once on virtual CPUs (`--target virtual --hardware this-host`),
 * then the table of both sides relative to `none`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parseBenchArgs, type BenchOptions } from '../options.js';
import { runSweep, type SweepIO } from '../sweep.js';
import { TARGET_NAMES, makeTarget } from '../../targets/index.js';
import { sideArgs, type ValidateOptions } from './args.js';
import { SIDES, validationLines, type RateRow, type Side, type ValidationLine } from './table.js';

export interface ValidationOutcome {
  readonly lines: ValidationLine[];
  /** Sides that ran. */
  readonly ran: Side[];
  /** One line per side that could not run, saying why. */
  readonly skipped: string[];
  /** Configurations that failed, one line each, prefixed with the side. */
  readonly errors: string[];
  readonly interrupted: string | null;
}

export interface ValidateEnv {
  readonly cores: number;
  readonly cwd: string;
  readonly now: Date;
}

/** Parses every side's bench options before anything runs, so bad input (an uncalibrated this-host) stops it at once. */
export function planSides(
  o: ValidateOptions,
  env: ValidateEnv,
  dir: string,
): { plans: { side: Side; options: BenchOptions }[]; skipped: string[] } {
  const plans: { side: Side; options: BenchOptions }[] = [];
  const skipped: string[] = [];
  for (const side of SIDES) {
    if (!(TARGET_NAMES as readonly string[]).includes(side)) {
      skipped.push(`${side}: no --target ${side} is built in; that side was not run`);
      continue;
    }
    const parsed = parseBenchArgs(sideArgs(side, o, path.join(dir, `${side}.csv`)), env);
    if (parsed.kind !== 'run') continue;
    const { sweep, machine } = parsed.options;
    const why = makeTarget(sweep.target, { dir: machine.dir, hardware: machine.hardware }).unavailable();
    if (why !== null) {
      skipped.push(`${side}: --target ${side} is unavailable (${why}); that side was not run`);
      continue;
    }
    plans.push({ side, options: parsed.options });
  }
  return { plans, skipped };
}

export async function runValidation(
  o: ValidateOptions,
  env: ValidateEnv,
  io: SweepIO,
  signal?: AbortSignal,
): Promise<ValidationOutcome> {
  const dir = o.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-validate-'));
  try {
    const { plans, skipped } = planSides(o, env, dir);
    const rows: Record<Side, RateRow[] | null> = { model: null, virtual: null };
    const errors: string[] = [];
    for (const { side, options } of plans) {
      // The sweep's own tables and progress go to stderr, marked with the side; stdout keeps only the validation table.
      const mark = (line: string): void => io.err(`  ${side}| ${line}`);
      const outcome = await runSweep(options, env.cores, { out: mark, err: mark }, signal);
      rows[side] = outcome.rows.filter((r) => r.status === 'ok');
      errors.push(...outcome.errors.map((e) => `${side}: ${e}`));
      if (outcome.interrupted)
        return {
          lines: validationLines(rows),
          ran: plans.map((p) => p.side),
          skipped,
          errors,
          interrupted: outcome.interrupted,
        };
    }
    return { lines: validationLines(rows), ran: plans.map((p) => p.side), skipped, errors, interrupted: null };
  } finally {
    if (o.outDir === null) fs.rmSync(dir, { recursive: true, force: true });
  }
}
