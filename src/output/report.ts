/**
 * Turns a results CSV into one self-contained HTML report: inline CSS and
 * inline SVG only (no script, no external URL), so it opens anywhere, offline.
 *
 * The charts are Vega-Lite specs rendered to SVG here in Node (vega's
 * headless `renderer: 'none'` view, then `toSVG()`); each sits in an element
 * with `data-chart="<kind>-<group>"`, and every mark carries an `aria-label`
 * that starts with the series (strategy) it belongs to.
 *
 * Per (target, workload, journal) group:
 *  - throughput-*: faults/s against threads per strategy, 95% CI error bars
 *    when the CSV has them, each strategy's `linear` line dashed;
 *  - efficiency-*: speedup / threads against threads;
 *  - staleness-*: max staleness (kernel s) against faults/s at the group's
 *    highest thread count, when any staleness was measured there;
 *  - locks-*: lock-contention figures per strategy at that thread count.
 * Then a table of the run parameters and the machine.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

import { parseResultsCsv, ResultsFileError } from '../rows/read.js';
import { quote } from '../rows/quote.js';
import { okRows, type ColumnName, type Row } from '../rows/rows.js';

export interface ReportOptions {
  /** Page title; default "faultscale report". */
  readonly title?: string;
  /** Where the CSV came from, shown in the parameters table. */
  readonly source?: string;
}

type Rec = Row;

interface Series {
  readonly label: string;
  readonly rows: readonly Rec[];
}

interface Group {
  readonly target: string;
  readonly workload: string;
  readonly journal: string;
  readonly slug: string;
  readonly rows: readonly Rec[];
}

// ---------------------------------------------------------------------------
// Parsing

/** Reads and checks the CSV; throws ResultsFileError naming `source` when it is not a results CSV or has no measured row. */
function readRows(csvText: string, source: string): Rec[] {
  const where = source === '' ? 'input' : quote(source);
  const all = parseResultsCsv(csvText, where);
  const rows = okRows(all);
  if (all.length === 0) throw new ResultsFileError(`${where}: has a header but no result rows`);
  if (rows.length === 0) throw new ResultsFileError(`${where}: none of its ${all.length} rows was measured (every one failed or was interrupted)`);
  return rows;
}

/** The cell as text, as the CSV holds it: a number not measured is ''. */
function str(r: Rec, c: ColumnName): string {
  const v = r[c];
  return typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
}
/** The column as a finite number, or null when not measured. */
function num(r: Rec, c: ColumnName): number | null {
  const v = r[c];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

const slugify = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'x';

function groupRows(rows: readonly Rec[]): Group[] {
  const groups = new Map<string, Rec[]>();
  for (const r of rows) {
    const key = JSON.stringify([str(r, 'target'), str(r, 'workload'), str(r, 'journal')]);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  const used = new Set<string>();
  return [...groups.entries()].map(([key, list]) => {
    const [target, workload, journal] = JSON.parse(key) as [string, string, string];
    let slug = slugify(`${target}-${workload}-${journal}`);
    for (let k = 2; used.has(slug); k++) slug = `${slugify(`${target}-${workload}-${journal}`)}-${k}`;
    used.add(slug);
    return { target, workload, journal, slug, rows: list };
  });
}

/**
 * Series of a group: one per strategy, told apart by lock kind and profile as
 * well when those vary inside the group (else their points would interleave).
 */
function seriesOf(g: Group): Series[] {
  const byLock = uniq(g.rows.map((r) => str(r, 'lock'))).length > 1;
  const byProfile = uniq(g.rows.map((r) => str(r, 'profile'))).length > 1;
  const label = (r: Rec): string => {
    const extra = [byLock ? str(r, 'lock') : '', byProfile ? str(r, 'profile') : ''].filter((x) => x !== '');
    return extra.length > 0 ? `${str(r, 'strategy')} (${extra.join(', ')})` : str(r, 'strategy');
  };
  const map = new Map<string, Rec[]>();
  for (const r of g.rows) {
    const l = label(r);
    let list = map.get(l);
    if (!list) map.set(l, (list = []));
    list.push(r);
  }
  return [...map.entries()].map(([l, rows]) => ({
    label: l,
    rows: [...rows].sort((a, b) => num(a, 'threads')! - num(b, 'threads')!),
  }));
}

// ---------------------------------------------------------------------------
// Formatting

/** 3 significant digits with an SI suffix: 2.19M. */
function si(n: number): string {
  const a = Math.abs(n);
  const [d, s] = a >= 1e9 ? [1e9, 'G'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${Number((n / d).toPrecision(3))}${s}`;
}
const fix = (n: number, digits: number): string => String(Number(n.toFixed(digits)));
const pct = (n: number): string => `${Number((n * 100).toPrecision(3))}%`;
function small(n: number): string {
  if (n === 0) return '0';
  return Math.abs(n) >= 0.01 ? fix(n, 3) : n.toExponential(2);
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// ---------------------------------------------------------------------------
// Charts

const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';
const PLOT_W = 340;
const PLOT_H = 220;

/** Shared look; colours of strategies are fixed by `colorScale` so they match across charts. */
const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220 },
  line: { strokeWidth: 2 },
} as const;

function colorScale(labels: readonly string[]) {
  return { domain: [...labels], scheme: labels.length <= 10 ? 'tableau10' : 'category20' };
}

/** x axis over thread counts, ticks at exactly the measured counts. */
function threadsAxis(threads: readonly number[]) {
  const lo = Math.min(...threads);
  const hi = Math.max(...threads);
  const pad = Math.max(0.25, (hi - lo) * 0.04);
  return {
    field: 'threads',
    type: 'quantitative',
    title: 'writer threads',
    scale: { domain: [Math.max(0, lo - pad), hi + pad], nice: false, zero: false },
    axis: { values: [...threads], format: 'd', grid: true },
  } as const;
}

/** A dotted vertical rule at the machine's core count, when threads go beyond it. */
function coresLayer(cores: number | null, threads: readonly number[]) {
  if (cores === null || !(cores < Math.max(...threads) && cores > Math.min(...threads))) return [];
  return [
    {
      data: { values: [{ cores, description: `cores: ${cores} (threads beyond this oversubscribe the machine)` }] },
      mark: { type: 'rule', color: '#888', strokeDash: [2, 3] },
      encoding: { x: { field: 'cores', type: 'quantitative' }, description: { field: 'description' } },
    },
    {
      data: { values: [{ cores, text: `${cores} cores`, description: `cores: ${cores}` }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: 2, baseline: 'top', color: '#666', fontSize: 10 },
      encoding: {
        x: { field: 'cores', type: 'quantitative' },
        y: { value: 0 },
        text: { field: 'text' },
        description: { field: 'description' },
      },
    },
  ];
}

function throughputSpec(series: readonly Series[], colors: readonly string[], cores: number | null): TopLevelSpec {
  const threads = uniq(series.flatMap((s) => s.rows.map((r) => str(r, 'threads')))).map(Number).sort((a, b) => a - b);
  const lines: object[] = [];
  const points: object[] = [];
  const bars: object[] = [];
  for (const s of series) {
    for (const r of s.rows) {
      const t = num(r, 'threads')!;
      const mean = num(r, 'faults_per_sec_mean')!;
      const lo = num(r, 'faults_per_sec_ci95_low');
      const hi = num(r, 'faults_per_sec_ci95_high');
      const lin = num(r, 'linear_faults_per_sec');
      const ci = lo !== null && hi !== null ? ` (95% CI ${si(lo)} to ${si(hi)})` : '';
      lines.push({ series: s.label, threads: t, value: mean, kind: 'measured', description: `${s.label}: measured faults/s` });
      if (lin !== null) {
        lines.push({ series: s.label, threads: t, value: lin, kind: 'linear', description: `${s.label}: linear scaling from 1 thread` });
      }
      points.push({ series: s.label, threads: t, value: mean, description: `${s.label}, ${t} threads: ${si(mean)} faults/s${ci}` });
      if (lo !== null && hi !== null) {
        bars.push({ series: s.label, threads: t, lo, hi, description: `${s.label}, ${t} threads: 95% CI ${si(lo)} to ${si(hi)} faults/s` });
      }
    }
  }
  const x = threadsAxis(threads);
  const color = { field: 'series', type: 'nominal', title: 'strategy', scale: colorScale(colors) } as const;
  const yTitle = 'write faults / s';
  const layers: object[] = [
    {
      data: { values: lines },
      mark: { type: 'line' },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: yTitle, axis: { format: '~s' } },
        color,
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          title: 'line',
          scale: { domain: ['measured', 'linear'], range: [[1, 0], [5, 4]] },
          legend: { symbolStrokeColor: '#555', symbolType: 'stroke' },
        },
        opacity: { field: 'kind', type: 'nominal', scale: { domain: ['measured', 'linear'], range: [1, 0.55] }, legend: null },
        strokeWidth: { field: 'kind', type: 'nominal', scale: { domain: ['measured', 'linear'], range: [2, 1.5] }, legend: null },
        detail: { field: 'kind' },
        description: { field: 'description' },
      },
    },
  ];
  if (bars.length > 0) {
    layers.push({
      data: { values: bars },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        color,
        description: { field: 'description' },
      },
    });
    for (const end of ['lo', 'hi'] as const) {
      layers.push({
        data: { values: bars },
        mark: { type: 'tick', orient: 'horizontal', size: 8, thickness: 1.5 },
        encoding: { x, y: { field: end, type: 'quantitative' }, color, description: { field: 'description' } },
      });
    }
  }
  layers.push({
    data: { values: points },
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

function efficiencySpec(series: readonly Series[], colors: readonly string[], cores: number | null): TopLevelSpec | null {
  const values: object[] = [];
  for (const s of series) {
    for (const r of s.rows) {
      const e = num(r, 'efficiency');
      const t = num(r, 'threads')!;
      if (e === null) continue;
      const sp = num(r, 'speedup');
      values.push({
        series: s.label,
        threads: t,
        value: e,
        description: `${s.label}, ${t} threads: efficiency ${fix(e, 3)}${sp === null ? '' : `, speedup ${fix(sp, 2)}×`}`,
      });
    }
  }
  if (values.length === 0) return null;
  const threads = uniq(values.map((v) => String((v as { threads: number }).threads))).map(Number).sort((a, b) => a - b);
  const maxE = Math.max(1.1, ...values.map((v) => (v as { value: number }).value * 1.05));
  const x = threadsAxis(threads);
  const color = { field: 'series', type: 'nominal', title: 'strategy', scale: colorScale(colors) } as const;
  return {
    width: PLOT_W,
    height: PLOT_H,
    layer: [
      {
        data: { values: [{ y: 1, description: 'linear scaling: efficiency 1' }] },
        mark: { type: 'rule', color: '#777', strokeDash: [5, 4] },
        encoding: { y: { field: 'y', type: 'quantitative' }, description: { field: 'description' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 40 } },
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'efficiency (1 = linear)',
            scale: { domain: [0, maxE], nice: false },
          },
          color,
          description: { field: 'description' },
        },
      },
      ...coresLayer(cores, threads),
    ],
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** Rows of each series at the group's highest thread count. */
function atMaxThreads(series: readonly Series[]): { threads: number; rows: { label: string; row: Rec }[] } {
  const threads = Math.max(...series.flatMap((s) => s.rows.map((r) => num(r, 'threads')!)));
  const rows: { label: string; row: Rec }[] = [];
  for (const s of series) {
    const row = s.rows.filter((r) => num(r, 'threads') === threads).at(-1);
    if (row) rows.push({ label: s.label, row });
  }
  return { threads, rows };
}

interface StalenessChart {
  readonly spec: TopLevelSpec;
  /** Strategies left out because no store was ever noticed (or no observer ran). */
  readonly omitted: readonly string[];
}

function stalenessSpec(series: readonly Series[], colors: readonly string[]): StalenessChart | null {
  const { threads, rows } = atMaxThreads(series);
  const values: { series: string; faults: number; max: number; description: string }[] = [];
  const omitted: string[] = [];
  for (const { label, row } of rows) {
    const max = num(row, 'staleness_max_sec');
    const p99 = num(row, 'staleness_p99_sec');
    const unnoticed = num(row, 'unnoticed_stores');
    const faults = num(row, 'faults_per_sec_mean')!;
    if (max === null) {
      const why = unnoticed !== null && unnoticed > 0 ? `never noticed; ${si(unnoticed)} stores unnoticed per run` : 'no staleness measured';
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
  if (values.length === 0) return null;
  const ys = values.map((v) => v.max);
  const present = colors.filter((l) => values.some((v) => v.series === l));
  const useLog = Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) > 50;
  const shapes = ['circle', 'square', 'diamond', 'triangle-up', 'cross', 'triangle-down', 'triangle-right', 'triangle-left', 'wedge', 'stroke'];
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
          scale: { zero: false, padding: 16 },
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
          scale: { domain: present, range: present.map((l) => shapes[colors.indexOf(l) % shapes.length]!) },
          legend: { values: present },
        },
        description: { field: 'description' },
      },
      config: CONFIG,
    } as unknown as TopLevelSpec,
    omitted,
  };
}

const LOCK_METRICS = [
  ['hot_lock_contended_share', 'hot lock: contended share'],
  ['locks_contended_share', 'all locks: contended share'],
  ['txns_per_fault', 'journal txns per fault'],
  ['locks_parks_per_fault', 'lock sleeps per fault'],
] as const;

function locksSpec(series: readonly Series[], labels: readonly string[]): TopLevelSpec | null {
  const { threads, rows } = atMaxThreads(series);
  const values: object[] = [];
  for (const { label, row } of rows) {
    for (const [col, name] of LOCK_METRICS) {
      const v = num(row, col);
      if (v === null) continue;
      const shown = col.endsWith('_share') ? pct(v) : small(v);
      values.push({ series: label, metric: name, value: v, description: `${label}, ${threads} threads: ${name} ${shown}` });
    }
  }
  if (values.length === 0) return null;
  const order = labels.filter((l) => rows.some((r) => r.label === l));
  return {
    width: PLOT_W,
    height: PLOT_H,
    data: { values },
    mark: { type: 'bar', width: { band: 0.9 } },
    encoding: {
      x: {
        field: 'series',
        type: 'nominal',
        title: `strategy, at ${threads} threads`,
        sort: order,
        scale: { paddingInner: 0.25 },
        axis: { labelAngle: -30, labelAlign: 'right', labelLimit: 200 },
      },
      xOffset: { field: 'metric', type: 'nominal', sort: LOCK_METRICS.map((m) => m[1]) },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'value (square-root scale)',
        scale: { type: 'sqrt', zero: true },
      },
      color: {
        field: 'metric',
        type: 'nominal',
        title: 'figure',
        sort: LOCK_METRICS.map((m) => m[1]),
        scale: { domain: LOCK_METRICS.map((m) => m[1]), range: ['#d62728', '#ff9896', '#1f77b4', '#9467bd'] },
      },
      description: { field: 'description' },
    },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/**
 * Text widths for layout. Without a canvas, vega estimates 0.8 em per
 * character, which is far wider than real sans-serif text: legends and axis
 * labels get truncated and charts padded. This table gives approximate advance
 * widths (in em) of DejaVu Sans, the widest of the fonts the page asks for, so
 * the estimate errs on the generous side in Chromium, Firefox and Safari alike.
 * Vega supports replacing `textMetrics.width` (vl-convert does the same).
 */
const NARROW: Record<string, number> = {
  ' ': 0.32, '.': 0.32, ',': 0.32, ':': 0.34, ';': 0.34, "'": 0.28, '|': 0.34, '!': 0.4,
  i: 0.28, j: 0.28, l: 0.28, f: 0.36, t: 0.4, r: 0.42, '(': 0.39, ')': 0.39, '[': 0.39, ']': 0.39,
  '-': 0.37, '/': 0.34, I: 0.3, J: 0.3, m: 0.98, w: 0.82, M: 0.87, W: 0.99, '%': 0.95, '@': 1.0,
  '×': 0.84, '—': 1.0, '…': 1.0,
};
function textWidthEm(text: string): number {
  let em = 0;
  for (const ch of text) {
    const w = NARROW[ch];
    if (w !== undefined) em += w;
    else if (ch >= '0' && ch <= '9') em += 0.64;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else em += 0.62;
  }
  return em;
}
interface TextItem {
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
  readonly text?: unknown;
}
function measureText(item: TextItem, text?: unknown): number {
  const value = text ?? item.text;
  const lines = Array.isArray(value) ? value.map(String) : [value === null || value === undefined ? '' : String(value)];
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
  return Math.ceil(Math.max(...lines.map(textWidthEm)) * size * (bold ? 1.08 : 1) * 1.02);
}
type TextMetrics = { width: (item: TextItem, text?: unknown) => number };
const textMetrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;

/** Renders a Vega-Lite spec to a standalone SVG string, headless. */
async function toSvg(spec: TopLevelSpec): Promise<string> {
  const warnings: string[] = [];
  const logger = {
    level(): number {
      return 0;
    },
    error(...args: readonly unknown[]): never {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  const compiled = vl.compile(spec, { logger: logger as never }).spec;
  const savedWidth = textMetrics?.width;
  if (textMetrics) textMetrics.width = measureText;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    // The xlink namespace is declared but never used; drop it so the page names no URL but the SVG namespace.
    return svg.includes('xlink:') ? svg : svg.replace(/\s+xmlns:xlink="[^"]*"/, '');
  } finally {
    view.finalize();
    if (textMetrics && savedWidth) textMetrics.width = savedWidth;
  }
}

// ---------------------------------------------------------------------------
// Page

function figure(id: string, title: string, note: string, svg: string): string {
  return (
    `<figure class="chart" data-chart="${escapeHtml(id)}">` +
    `<figcaption><h3>${escapeHtml(title)}</h3>${note === '' ? '' : `<p>${note}</p>`}</figcaption>` +
    `<div class="svg">${svg}</div></figure>`
  );
}

function parametersTable(rows: readonly Rec[], source: string | undefined): string {
  const distinct = (c: ColumnName): string => {
    const vs = uniq(rows.map((r) => str(r, c)).filter((v) => v !== ''));
    return vs.length === 0 ? '—' : vs.join(', ');
  };
  const stamps = rows.map((r) => str(r, 'timestamp')).filter((v) => v !== '').sort();
  const range =
    stamps.length === 0 ? '—' : stamps[0] === stamps.at(-1) ? stamps[0]! : `${stamps[0]} to ${stamps.at(-1)}`;
  const threads = uniq(rows.map((r) => str(r, 'threads')))
    .map(Number)
    .sort((a, b) => a - b)
    .join(', ');
  const entries: [string, string][] = [
    ['profile', distinct('profile')],
    ['lock', distinct('lock')],
    ['time scale (model s per kernel s)', distinct('time_scale')],
    ['tick (model ms)', distinct('tick_ms')],
    ['measured window (s)', distinct('duration_sec')],
    ['warm-up (s)', distinct('warmup_sec')],
    ['runs per row', distinct('runs')],
    ['observer interval (ms)', distinct('observer_interval_ms')],
    ['writer threads', threads],
    ['cores', distinct('cores')],
    ['node', distinct('node_version')],
    ['harness version', distinct('harness_version')],
    ['measured', range],
    ['rows', String(rows.length)],
    ['source file', source === undefined || source === '' ? '—' : source],
  ];
  const body = entries.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  return `<table class="params" id="parameters"><caption>Run parameters and machine</caption><tbody>${body}</tbody></table>`;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; font: 14px/1.45 ${FONT}; color: #222; background: #f6f6f4; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #555; }
section.group { margin-top: 26px; }
section.group > h2 { margin: 0 0 10px; font-size: 17px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
section.group > h2 .dim { color: #777; font-weight: normal; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(590px, 1fr)); gap: 14px; }
figure.chart { margin: 0; padding: 10px 12px 8px; background: #fff; border: 1px solid #ddd; border-radius: 4px; min-width: 0; }
figcaption h3 { margin: 0; font-size: 14px; }
figcaption p { margin: 2px 0 4px; color: #555; font-size: 12px; }
.svg { overflow-x: auto; }
.svg svg { display: block; max-width: 100%; height: auto; }
table.params { margin-top: 28px; border-collapse: collapse; background: #fff; border: 1px solid #ddd; }
table.params caption { text-align: left; font-weight: bold; font-size: 15px; padding: 0 0 6px; }
table.params th, table.params td { text-align: left; padding: 4px 12px; border-top: 1px solid #eee; vertical-align: top; }
table.params th { font-weight: normal; color: #555; white-space: nowrap; }
table.params td { font-family: DejaVu Sans Mono, Liberation Mono, monospace; font-size: 13px; word-break: break-all; }
footer { margin-top: 18px; color: #777; font-size: 12px; }
`;

/**
 * Renders the report for a results CSV. Throws ResultsFileError when the text is
 * not a results CSV (the message names `opts.source`).
 */
export async function renderReport(csvText: string, opts: ReportOptions = {}): Promise<string> {
  const rows = readRows(csvText, opts.source ?? '');
  const groups = groupRows(rows);
  const seriesByGroup = groups.map((g) => ({ g, series: seriesOf(g) }));
  // One colour per series label across the whole report.
  const labels = uniq(seriesByGroup.flatMap(({ series }) => series.map((s) => s.label)));
  const coresVals = uniq(rows.map((r) => str(r, 'cores')).filter((v) => v !== ''));
  const cores = coresVals.length === 1 ? num(rows[0]!, 'cores') : null;

  const sections: string[] = [];
  for (const { g, series } of seriesByGroup) {
    const figs: string[] = [];
    const hasCi = g.rows.some((r) => num(r, 'faults_per_sec_ci95_low') !== null);
    figs.push(
      figure(
        `throughput-${g.slug}`,
        'Throughput',
        `Mean write faults per second over runs${hasCi ? ', with 95% confidence intervals' : ''}; ` +
          'dashed: each strategy’s 1-thread rate × threads (linear scaling).',
        await toSvg(throughputSpec(series, labels, cores)),
      ),
    );
    const eff = efficiencySpec(series, labels, cores);
    if (eff) {
      figs.push(
        figure(
          `efficiency-${g.slug}`,
          'Scaling efficiency',
          'Speedup over the same strategy at 1 thread, divided by threads; the dashed rule is linear scaling.',
          await toSvg(eff),
        ),
      );
    }
    const st = stalenessSpec(series, labels);
    if (st) {
      const omitted =
        st.omitted.length === 0 ? '' : ` Not shown: ${escapeHtml(st.omitted.join('; '))}.`;
      figs.push(
        figure(
          `staleness-${g.slug}`,
          'Staleness against throughput',
          `Longest time from a sampled store to the poll that noticed it, in kernel seconds, at the highest thread count; lower and further right is better.${omitted}`,
          await toSvg(st.spec),
        ),
      );
    }
    const locks = locksSpec(series, labels);
    if (locks) {
      figs.push(
        figure(
          `locks-${g.slug}`,
          'Lock contention',
          'At the highest thread count: shares of lock acquisitions that found the lock taken, journal transactions per fault, and sleeps in any lock per fault.',
          await toSvg(locks),
        ),
      );
    }
    sections.push(
      `<section class="group" data-group="${escapeHtml(g.slug)}"><h2>${escapeHtml(g.workload)} · ${escapeHtml(g.journal)} ` +
        `<span class="dim">(${escapeHtml(g.target)})</span></h2><div class="grid">${figs.join('')}</div></section>`,
    );
  }

  const title = opts.title ?? 'faultscale report';
  const subtitle = [
    opts.source ? escapeHtml(opts.source) : '',
    `${rows.length} rows`,
    `${groups.length} workload/journal group${groups.length === 1 ? '' : 's'}`,
    `${labels.length} series`,
  ]
    .filter((x) => x !== '')
    .join(' · ');
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1><p>${subtitle}</p></header>` +
    sections.join('\n') +
    '\n' +
    parametersTable(rows, opts.source) +
    '<footer>Charts rendered with Vega-Lite to static SVG; this file loads nothing.</footer>' +
    '</body></html>\n'
  );
}
