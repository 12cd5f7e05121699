/** A scenario's verdicts as a terminal table, one line per strategy: did the store fault, was it noticed, after how long. */
import type { ScenarioName, Verdict } from '../model/scenarios.js';
import { HORIZON_US, SEC } from '../model/world.js';
import type { KernelScenarioName, KernelVerdict } from '../targets/kernel/scenarios.js';
import { textTable } from './text-table.js';

export function verdictTable(name: ScenarioName, verdicts: readonly Verdict[]): string {
  const variants = verdicts.some((v) => v.variant !== undefined);
  const rows = verdicts.map((v) => [
    v.strategy,
    ...(variants ? [v.variant ?? ''] : []),
    v.faulted ? 'yes' : 'no',
    v.noticed ? (v.afterSec === 0 ? 'at once' : 'late') : v.stale ? 'never: same attributes, other contents' : 'never',
    v.afterSec === null ? `> ${HORIZON_US / SEC} s` : `${v.afterSec.toFixed(3)} s`,
    String(v.txns),
  ]);
  const header = [
    'strategy',
    ...(variants ? ['change attribute'] : []),
    'store faulted',
    'noticed',
    'after (kernel s)',
    'transactions',
  ];
  return [`verdicts: ${name}`, ...textTable(header, rows, () => 'left')].join('\n');
}

export function kernelVerdictTable(name: KernelScenarioName, verdicts: readonly KernelVerdict[]): string {
  const rows = verdicts.map((v) => [
    v.strategy,
    v.fs,
    v.faulted ? `yes (${v.faults})` : 'no',
    v.noticed ? 'yes' : 'never',
    v.afterSec === null ? '-' : `${v.afterSec.toFixed(6)} s`,
  ]);
  const header = ['strategy', 'fs', 'store faulted', 'noticed', 'after (real s)'];
  return [`verdicts: ${name} (kernel)`, ...textTable(header, rows, () => 'left')].join('\n');
}
