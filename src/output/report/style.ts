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

/** x axis over thread counts, ticks at exactly the measured counts. */
export function threadsAxis(threads: readonly number[]) {
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
export function coresLayer(cores: number | null, threads: readonly number[]) {
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
