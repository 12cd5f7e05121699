/**
 * Where a sweep's stages write what they have to say. It sits in its own file
 * so that each stage can take it without importing the sweep that calls them.
 */
import type { Progress } from '../../output/progress.js';

export interface SweepIO {
  /** Results and tables (stdout). */
  out(line: string): void;
  /** Warnings and errors (stderr). */
  err(line: string): void;
  /** The progress line (output/progress.ts); without one, each update is a line on `err`. */
  progress?: Progress;
}
