/**
 * What a person sees in the report, in headless Chromium: in every chart each
 * series has a mark with an area or a line and a fill or stroke that paints
 * (ten strategies, so the tenth shape and colour are checked too), each
 * legend label has such a symbol beside it, and the numbers table has the
 * CSV's rows. The page is made as a user makes it: a CSV, then the report
 * command. A probe script is added to a copy of the page (the report itself
 * has none); it measures the rendered marks and writes its findings into the
 * DOM that Chromium dumps.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { parseCsv } from '../../src/rows/codec.js';
import type { Row } from '../../src/rows/rows.js';
import { resultsCsv } from '../../src/rows/write.js';
import { chromiumSkipNote, runChromium, runChromiumTests } from '../helpers/chromium.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { scalingRow } from '../helpers/rows.js';

const TIMEOUT_MS = 90_000;
const THREADS = [1, 2, 4, 8, 16];

const rows: Row[] = STRATEGY_NAMES.flatMap((strategy, si) =>
  THREADS.map((t) => {
    const mean = 1e6 * t * (1 - (0.05 * si * Math.log2(t)) / 4);
    return scalingRow(t, mean, 0.02, {
      target: 'virtual',
      hardware: 'westmere-ex-8s',
      strategy,
      staleness_samples: 100,
      staleness_max_sec: 0.5 + si,
      unnoticed_stores: 0,
      txns_per_fault: 0.1 + 0.1 * si,
      locks_parks_per_fault: 0.01 * si,
      hot_lock_contended_share: 0.05 + 0.05 * si,
      locks_contended_share: 0.02 + 0.03 * si,
      line_wait_share: 0.01 * (si + 1),
      hot_lock_wait_share: 0.02 * si,
    });
  }),
);

/** Runs in the page: every data mark's series, size and paint, every legend entry's symbol, and the numbers table's rows. */
const PROBE = `<script>
addEventListener('load', () => {
  // Seen: a fill over an area (width and height), or a stroke along a line or an outline (width or height).
  const seen = (el) => {
    const cs = getComputedStyle(el);
    if (!(Number(cs.opacity) > 0) || cs.visibility === 'hidden' || cs.display === 'none') return false;
    const b = el.getBBox();
    const fill = cs.fill !== 'none' && Number(cs.fillOpacity) > 0 && b.width > 0 && b.height > 0;
    const stroke = cs.stroke !== 'none' && Number(cs.strokeOpacity) > 0 && parseFloat(cs.strokeWidth) > 0 && (b.width > 0 || b.height > 0);
    return fill || stroke;
  };
  const out = { marks: [], legend: [], numbers: [] };
  for (const fig of document.querySelectorAll('figure[data-chart]')) {
    const chart = fig.dataset.chart.split('-')[0];
    for (const el of fig.querySelectorAll('[role="graphics-symbol"]')) {
      const kind = el.getAttribute('aria-roledescription');
      if (kind === 'axis' || kind === 'legend' || el.tagName === 'g') continue;
      const label = el.getAttribute('aria-label') || '';
      out.marks.push({ chart, label, visible: seen(el) });
    }
    for (const sym of fig.querySelectorAll('.role-legend-symbol')) {
      const box = sym.parentElement;
      const text = box.querySelector('.role-legend-label text');
      const path = sym.querySelector('path');
      out.legend.push({ chart, label: text ? text.textContent : '', visible: !!path && seen(path) });
    }
  }
  for (const tr of document.querySelectorAll('table[data-table^="numbers-"] tbody tr')) {
    out.numbers.push([...tr.children].map((td) => td.getAttribute('title') || td.textContent));
  }
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
});
</script>`;

interface Probe {
  marks: { chart: string; label: string; visible: boolean }[];
  legend: { chart: string; label: string; visible: boolean }[];
  numbers: string[][];
}

const root = tempDir('report-visible');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const csvPath = path.join(root, 'sweep.csv');
let probe: Probe | null = null;
let failure = '';

beforeAll(async () => {
  if (!runChromiumTests) return;
  // The report as a user makes it: the CSV written as a sweep writes it, rendered by the report command.
  fs.writeFileSync(csvPath, resultsCsv(rows));
  const made = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'src', 'commands', 'report.js'), csvPath], {
    encoding: 'utf8',
  });
  if (made.status !== 0) {
    failure = `report failed: ${made.stderr}`;
    return;
  }
  const html = fs.readFileSync(csvPath.replace(/\.csv$/, '.html'), 'utf8');
  const probed = path.join(root, 'probed.html');
  fs.writeFileSync(probed, html.replace('</body>', `${PROBE}</body>`));
  const r = await runChromium(probed, ['--dump-dom', '--window-size=1300,3000'], root, TIMEOUT_MS - 10_000);
  const json = /<pre id="probe">([^<]*)<\/pre>/.exec(r.stdout)?.[1];
  if (json === undefined) failure = `no probe output; chromium said: ${r.stderr.slice(-1500)}`;
  else
    probe = JSON.parse(
      json
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as Probe;
}, TIMEOUT_MS);

describe(`the report as Chromium draws it${chromiumSkipNote}`, () => {
  it.skipIf(!runChromiumTests)('has a visible mark for every series in every per-series chart', () => {
    expect(probe, failure).not.toBeNull();
    for (const chart of ['throughput', 'efficiency', 'staleness', 'locks', 'perfault', 'waits']) {
      const marks = probe!.marks.filter((m) => m.chart === chart);
      expect(marks.length, `${chart}: marks`).toBeGreaterThan(0);
      const unseen = STRATEGY_NAMES.filter(
        (s) => !marks.some((m) => m.visible && (m.label.startsWith(`${s}:`) || m.label.startsWith(`${s},`))),
      );
      expect(unseen, `${chart}: series without a visible mark`).toEqual([]);
    }
  });

  it.skipIf(!runChromiumTests)('draws a visible symbol beside every legend label', () => {
    expect(probe, failure).not.toBeNull();
    expect(probe!.legend.length).toBeGreaterThan(0);
    expect(probe!.legend.filter((l) => !l.visible)).toEqual([]);
    for (const chart of ['throughput', 'staleness']) {
      const labels = probe!.legend.filter((l) => l.chart === chart).map((l) => l.label);
      expect(
        STRATEGY_NAMES.filter((s) => !labels.includes(s)),
        `${chart} legend`,
      ).toEqual([]);
    }
  });

  it.skipIf(!runChromiumTests)("has the CSV's rows in the numbers table, with their exact means", () => {
    expect(probe, failure).not.toBeNull();
    const [header, ...records] = parseCsv(fs.readFileSync(csvPath, 'utf8'));
    const cell = (rec: string[], name: string): string => rec[header!.indexOf(name)]!;
    expect(probe!.numbers.map((r) => [r[0], r[1], r[3]])).toEqual(
      records.map((rec) => [cell(rec, 'strategy'), cell(rec, 'threads'), cell(rec, 'faults_per_sec_mean')]),
    );
  });
});
