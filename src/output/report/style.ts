/** What every chart of the report shares: fonts, plot size, colours per series, the threads axis and the cores rule. */
export const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';
export const PLOT_W = 340;
export const PLOT_H = 220;

/** Shared look; colours of strategies are fixed by `colorScale` so they match across charts. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220 },
  line: { strokeWidth: 2 },
} as const;

export function colorScale(labels: readonly string[]) {
  return { domain: [...labels], scheme: labels.length <= 10 ? 'tableau10' : 'category20' };
}

/**
 * Whether a sweep's thread counts double (1, 2, 4 … 160): then a log2 axis
 * spreads them evenly, where a linear one crowds 1-16 into a tenth of it.
 */
export function doublingThreads(threads: readonly number[]): boolean {
  const lo = Math.min(...threads);
  const hi = Math.max(...threads);
  return threads.length >= 3 && lo >= 1 && hi / lo >= 8;
}

/** x axis over thread counts, ticks at exactly the measured counts; log2 when they double. */
export function threadsAxis(threads: readonly number[]) {
  const lo = Math.min(...threads);
  const hi = Math.max(...threads);
  if (doublingThreads(threads)) {
    return {
      field: 'threads',
      type: 'quantitative',
      title: 'writer threads (log2 scale)',
      scale: { type: 'log', base: 2, domain: [lo / 1.25, hi * 1.25], nice: false },
      axis: { values: [...threads], format: 'd', grid: true },
    } as const;
  }
  const pad = Math.max(0.25, (hi - lo) * 0.04);
  return {
    field: 'threads',
    type: 'quantitative',
    title: 'writer threads',
    scale: { domain: [Math.max(0, lo - pad), hi + pad], nice: false, zero: false },
    axis: { values: [...threads], format: 'd', grid: true },
  } as const;
}

/** Whether the cores rule falls inside the thread counts (so the chart draws it). */
export const coresRuleDrawn = (cores: number | null, threads: readonly number[]): cores is number =>
  cores !== null && cores < Math.max(...threads) && cores > Math.min(...threads);

/**
 * A dotted vertical rule at the machine's core count, when threads go beyond
 * it; `cores` is null for a simulated machine, whose CPUs are not this one's.
 */
export function coresLayer(cores: number | null, threads: readonly number[]) {
  if (!coresRuleDrawn(cores, threads)) return [];
  const x = { ...threadsAxis(threads), field: 'cores' };
  return [
    {
      data: { values: [{ cores, description: `cores: ${cores} (threads beyond this oversubscribe the machine)` }] },
      mark: { type: 'rule', color: '#888', strokeDash: [2, 3] },
      encoding: { x, description: { field: 'description' } },
    },
    {
      data: { values: [{ cores, text: `${cores} cores`, description: `cores: ${cores}` }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: 2, baseline: 'top', color: '#666', fontSize: 10 },
      encoding: {
        x,
        y: { value: 0 },
        text: { field: 'text' },
        description: { field: 'description' },
      },
    },
  ];
}

/**
 * One filled shape per series, each with an area (vega's `stroke` and `wedge`
 * are lines or slivers, invisible when filled); beyond vega's eight, a star
 * and a hexagon as SVG paths in vega's unit square.
 */
export const SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle-up',
  'cross',
  'triangle-down',
  'triangle-right',
  'triangle-left',
  'M0,-1L0.29,-0.4L0.95,-0.31L0.48,0.15L0.59,0.81L0,0.5L-0.59,0.81L-0.48,0.15L-0.95,-0.31L-0.29,-0.4Z',
  'M0,-1L0.87,-0.5L0.87,0.5L0,1L-0.87,0.5L-0.87,-0.5Z',
] as const;
