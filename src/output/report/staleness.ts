/** Chart spec: max staleness against faults/s at a group's highest thread count. */
import type { TopLevelSpec } from 'vega-lite';

import { atMaxThreads, fix, num, si, type Rec, type Series } from './data.js';
import { CONFIG, PLOT_H, PLOT_W, SHAPES, colorScale } from './style.js';

export interface StalenessChart {
  readonly spec: TopLevelSpec;
  /** Strategies left out because no store was ever noticed (or no observer ran). */
  readonly omitted: readonly string[];
}

/** One strategy's point: its max staleness against its faults/s. */
interface Point {
  readonly series: string;
  readonly faults: number;
  readonly max: number;
  readonly description: string;
}

/** Each strategy's point at `threads`, and (as text) the strategies without one and why. */
function stalenessPoints(
  threads: number,
  rows: readonly { label: string; row: Rec }[],
): { values: Point[]; omitted: string[] } {
  const values: Point[] = [];
  const omitted: string[] = [];
  for (const { label, row } of rows) {
    const max = num(row, 'staleness_max_sec');
    const p99 = num(row, 'staleness_p99_sec');
    const unnoticed = num(row, 'unnoticed_stores');
    const faults = num(row, 'faults_per_sec_mean')!;
    if (max === null) {
      const why =
        unnoticed !== null && unnoticed > 0
          ? `never noticed; ${si(unnoticed)} stores unnoticed per run`
          : 'no staleness measured';
      omitted.push(`${label} (${why})`);
      continue;
    }
    values.push({
      series: label,
      faults,
      max,
      description:
        `${label}, ${threads} threads: max staleness ${fix(max, 3)} s` +
        (p99 === null ? '' : `, p99 ${fix(p99, 3)} s`) +
        (unnoticed === null ? '' : `, ${si(unnoticed)} stores unnoticed per run`) +
        `, ${si(faults)} faults/s`,
    });
  }
  return { values, omitted };
}

export function stalenessSpec(series: readonly Series[], colors: readonly string[]): StalenessChart | null {
  const { threads, rows } = atMaxThreads(series);
  const { values, omitted } = stalenessPoints(threads, rows);
  if (values.length === 0) return null;
  const ys = values.map((v) => v.max);
  const present = colors.filter((l) => values.some((v) => v.series === l));
  const useLog = Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) > 50;
  return {
    spec: {
      width: PLOT_W,
      height: PLOT_H,
      data: { values },
      mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
      encoding: {
        x: {
          field: 'faults',
          type: 'quantitative',
          title: `write faults / s at ${threads} threads`,
          axis: { format: '~s' },
          scale: { zero: true },
        },
        y: {
          field: 'max',
          type: 'quantitative',
          title: `max staleness (kernel s)${useLog ? ', log scale' : ''}`,
          scale: useLog ? { type: 'log' } : { zero: true },
        },
        color: {
          field: 'series',
          type: 'nominal',
          title: 'strategy',
          scale: colorScale(colors),
          legend: { values: present },
        },
        shape: {
          field: 'series',
          type: 'nominal',
          title: 'strategy',
          scale: { domain: present, range: present.map((l) => SHAPES[colors.indexOf(l) % SHAPES.length]!) },
          legend: { values: present },
        },
        description: { field: 'description' },
      },
      config: CONFIG,
    } as unknown as TopLevelSpec,
    omitted,
  };
}
