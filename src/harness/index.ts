/**
 * The harness: turns options into measured rows. Owns option parsing and
 * bad-input messages (options.ts, errors.ts), the sweep over
 * configurations and its outputs (sweep.ts, its stages in sweep/; a target
 * runs each run), the failure-injection test hook (inject.ts), the scenario
 * command's kernel checks (kernel-scenario.ts), and the two
 * suites built on the sweep: the filesystem matrix (fsmatrix/) and
 * calibration (calibrate/).
 *
 * May import: every layer below (model, targets, rows, analysis, output).
 * Never the commands.
 */
export { parseBenchArgs, type BenchOptions } from './options.js';
export { runSweep } from './sweep.js';
