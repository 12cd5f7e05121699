/**
 * A group's numbers, one table row per measured CSV row: mean faults/s with
 * its 95% confidence interval, efficiency, and the change against `none` at
 * the same thread count (the harness's own ceiling), series by series.
 */
import { fmtSi } from '../format.js';
import { num, str, type Series } from './data.js';
import { htmlTable, numCell, type CellLike } from './html.js';

const CONTROL = 'none';

function signedPct(x: number): string {
  const shown = (x * 100).toFixed(1);
  return Number(shown) === 0 ? '0.0%' : `${x > 0 ? '+' : '−'}${shown.replace('-', '')}%`;
}

/** The control series matching `s` (same lock and profile when those split the series), if the group has one. */
function controlOf(s: Series, series: readonly Series[]): Series | undefined {
  const extra = s.label.slice(str(s.rows[0]!, 'strategy').length);
  return series.find((c) => str(c.rows[0]!, 'strategy') === CONTROL && c.label === `${CONTROL}${extra}`);
}

export function numbersTable(slug: string, series: readonly Series[]): string {
  const rows: CellLike[][] = [];
  for (const s of series) {
    const control = controlOf(s, series);
    for (const r of s.rows) {
      const threads = num(r, 'threads')!;
      const mean = num(r, 'faults_per_sec_mean');
      const lo = num(r, 'faults_per_sec_ci95_low');
      const hi = num(r, 'faults_per_sec_ci95_high');
      const half = lo !== null && hi !== null ? (hi - lo) / 2 : null;
      const eff = num(r, 'efficiency');
      const base = control?.rows.find((c) => num(c, 'threads') === threads);
      const baseMean = base ? num(base, 'faults_per_sec_mean') : null;
      const change = mean !== null && baseMean !== null && baseMean > 0 && control !== s ? mean / baseMean - 1 : null;
      rows.push([
        s.label,
        { text: String(threads), cls: 'num' },
        { text: String(num(r, 'runs') ?? '—'), cls: 'num' },
        numCell(mean === null ? '—' : fmtSi(mean), mean),
        half === null || mean === null
          ? { text: '—', cls: 'num' }
          : { text: `± ${fmtSi(half)} (${((half / mean) * 100).toFixed(1)}%)`, exact: `${lo} to ${hi}`, cls: 'num' },
        numCell(eff === null ? '—' : eff.toFixed(2), eff),
        change === null
          ? { text: control === s ? 'control' : '—', cls: 'num' }
          : { text: signedPct(change), exact: String(change), cls: 'num' },
      ]);
    }
  }
  const head = ['strategy', 'threads', 'runs', 'faults/s (mean)', '95% CI', 'efficiency', `vs ${CONTROL}`];
  return htmlTable(
    `numbers-${slug}`,
    'Numbers',
    head,
    rows,
    ` one row per measured CSV row; efficiency = speedup over 1 thread / threads; “vs ${CONTROL}”: mean against ${CONTROL}’s at the same threads. Hover a number for its exact value.`,
  );
}
