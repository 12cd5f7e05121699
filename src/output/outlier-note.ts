/** The warning after a sweep's summary that names every outlying run (they are kept, not dropped). */
import { OUTLIER_Z } from '../analysis/outliers.js';

export interface OutlierEntry {
  /** The configuration, as the progress lines name it. */
  readonly configuration: string;
  readonly run: number;
  readonly faultsPerSec: number;
  readonly z: number;
}

export function formatOutliers(entries: readonly OutlierEntry[]): string {
  if (entries.length === 0) return '';
  const n = entries.length;
  return [
    `warning: ${n} run${n === 1 ? ' is an outlier' : 's are outliers'} (modified z-score beyond ±${OUTLIER_Z}); kept in every figure, counted in outlier_runs:`,
    ...entries.map((e) => `  ${e.configuration} run ${e.run}: z = ${e.z.toFixed(1)}`),
  ].join('\n');
}
