/**
 * Chart spec: faults/s against threads per series, 95% CI bars when the rows
 * have them, each series' linear line dashed, and the series' Universal
 * Scalability Law fit dotted beside the measured points (when it has the 3
 * thread counts a fit needs).
 */
import type { TopLevelSpec } from 'vega-lite';

import { fitUsl, uslThroughput } from '../../analysis/usl.js';

import { num, si, str, uniq, type Rec, type Series } from './data.js';
import { CONFIG, PLOT_H, PLOT_W, colorScale, coresLayer, doublingThreads, threadsAxis } from './style.js';

const USL_STEPS = 40;

/** The chart's data: each series' lines (measured, linear, USL fit), its points, and its CI bars. */
interface Marks {
  readonly lines: object[];
  readonly points: object[];
  readonly bars: object[];
}

/** One row's marks: its measured and linear line vertices, its point, and its CI bar when it has one. */
function pushRow(marks: Marks, label: string, r: Rec): void {
  const t = num(r, 'threads')!;
  const mean = num(r, 'faults_per_sec_mean')!;
  // A throughput is never negative; a wide interval from few runs may reach below 0, and is drawn from 0.
  const lo0 = num(r, 'faults_per_sec_ci95_low');
  const lo = lo0 === null ? null : Math.max(0, lo0);
  const hi = num(r, 'faults_per_sec_ci95_high');
  const lin = num(r, 'linear_faults_per_sec');
  const ci = lo0 !== null && hi !== null ? ` (95% CI ${si(lo0)} to ${si(hi)})` : '';
  marks.lines.push({
    series: label,
    threads: t,
    value: mean,
    kind: 'measured',
    description: `${label}: measured faults/s`,
  });
  if (lin !== null) {
    marks.lines.push({
      series: label,
      threads: t,
      value: lin,
      kind: 'linear',
      description: `${label}: linear scaling from 1 thread`,
    });
  }
  marks.points.push({
    series: label,
    threads: t,
    value: mean,
    description: `${label}, ${t} threads: ${si(mean)} faults/s${ci}`,
  });
  if (lo !== null && hi !== null) {
    marks.bars.push({
      series: label,
      threads: t,
      lo,
      hi,
      description: `${label}, ${t} threads: 95% CI ${si(lo0!)} to ${si(hi)} faults/s`,
    });
  }
}

/** The series' USL fit as line vertices, when the fit succeeds; `log` spaces them evenly on a log axis. */
function pushUslFit(marks: Marks, s: Series, log: boolean): void {
  const fit = fitUsl(s.rows.map((r) => ({ n: num(r, 'threads') ?? NaN, x: num(r, 'faults_per_sec_mean') ?? NaN })));
  if (!fit.ok) return;
  const ns = s.rows.map((r) => num(r, 'threads')!).filter(Number.isFinite);
  const [a, b] = [Math.min(...ns), Math.max(...ns)];
  // A smooth curve: the fit at USL_STEPS points between the least and the most threads measured, evenly spaced on the axis.
  for (let i = 0; i <= USL_STEPS; i++) {
    const n = log ? a * (b / a) ** (i / USL_STEPS) : a + ((b - a) * i) / USL_STEPS;
    marks.lines.push({
      series: s.label,
      threads: n,
      value: uslThroughput(fit.fit, n),
      kind: 'USL fit',
      description: `${s.label}: USL fit`,
    });
  }
}

/** The lines layer: measured solid, linear dashed, the USL fit dotted. */
function linesLayer(lines: object[], x: object, color: object): object {
  const kinds = ['measured', 'linear', 'USL fit'];
  return {
    data: { values: lines },
    mark: { type: 'line' },
    encoding: {
      x,
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'write faults / s',
        axis: { format: '~s' },
        scale: { domainMin: 0 },
      },
      color,
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        title: 'line',
        scale: {
          domain: kinds,
          range: [
            [1, 0],
            [5, 4],
            [1, 3],
          ],
        },
        legend: { symbolStrokeColor: '#555', symbolType: 'stroke' },
      },
      opacity: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [1, 0.55, 0.8] }, legend: null },
      strokeWidth: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [2, 1.5, 1.5] }, legend: null },
      detail: { field: 'kind' },
      description: { field: 'description' },
    },
  };
}

/** The 95% CI layers: a rule from low to high, and a tick at each end. */
function ciLayers(bars: object[], x: object, color: object): object[] {
  const rule = {
    data: { values: bars },
    mark: { type: 'rule', strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'lo', type: 'quantitative' },
      y2: { field: 'hi' },
      color,
      description: { field: 'description' },
    },
  };
  const ticks = (['lo', 'hi'] as const).map((end) => ({
    data: { values: bars },
    mark: { type: 'tick', orient: 'horizontal', size: 8, thickness: 1.5 },
    encoding: { x, y: { field: end, type: 'quantitative' }, color, description: { field: 'description' } },
  }));
  return [rule, ...ticks];
}

export function throughputSpec(
  series: readonly Series[],
  colors: readonly string[],
  cores: number | null,
): TopLevelSpec {
  const threads = uniq(series.flatMap((s) => s.rows.map((r) => str(r, 'threads'))))
    .map(Number)
    .sort((a, b) => a - b);
  const log = doublingThreads(threads);
  const marks: Marks = { lines: [], points: [], bars: [] };
  for (const s of series) {
    for (const r of s.rows) pushRow(marks, s.label, r);
    pushUslFit(marks, s, log);
  }
  const x = threadsAxis(threads);
  const color = { field: 'series', type: 'nominal', title: 'strategy', scale: colorScale(colors) } as const;
  const layers: object[] = [linesLayer(marks.lines, x, color)];
  if (marks.bars.length > 0) layers.push(...ciLayers(marks.bars, x, color));
  layers.push({
    data: { values: marks.points },
    mark: { type: 'point', filled: true, size: 40, opacity: 1 },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative' },
      color,
      description: { field: 'description' },
    },
  });
  layers.push(...coresLayer(cores, threads));
  return {
    width: PLOT_W,
    height: PLOT_H,
    layer: layers,
    resolve: { scale: { y: 'shared' } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}
