/** What a bench:fs run reports: each combination's status and rows, and the exit status. */
import type { Row } from '../../rows/rows.js';
import type { PlannedCombo } from './plan.js';

export type ComboStatus = 'pending' | 'ran' | 'failed' | 'skipped' | 'interrupted' | 'not-run';

export interface ComboResult {
  readonly combo: PlannedCombo;
  status: ComboStatus;
  reason: string | null;
  /** Rows merged from this combination. */
  rows: Row[];
}

export interface MatrixOutcome {
  readonly results: readonly ComboResult[];
  readonly interrupted: NodeJS.Signals | null;
  readonly exitCode: number;
}
