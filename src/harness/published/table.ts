/** The published-figures table, as Markdown (for the terminal and docs/validation.md) and as JSON. */
import type { PublishedLine } from './run.js';

const num = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));
const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function formatPublished(lines: readonly PublishedLine[]): string {
  const out = [
    "| figure | HZ | published | tolerance | model | gap | within | where the model's time goes | source |",
    '| --- | ---: | ---: | --- | ---: | ---: | --- | --- | --- |',
  ];
  for (const l of lines) {
    const f = l.figure;
    const tol = f.compare === 'near' ? `±${num(f.tolerance)}` : `≥ ${num(f.published - f.tolerance)}`;
    const model =
      l.model === null
        ? '—'
        : num(l.model.value) + (l.model.range ? ` [${num(l.model.range[0])}, ${num(l.model.range[1])}]` : '');
    const gap = l.gap === null ? '—' : `${l.gap >= 0 ? '+' : ''}${num(l.gap)}`;
    const within = l.within === null ? `failed: ${l.error ?? ''}` : l.within ? 'yes' : 'no';
    out.push(
      `| ${cell(f.id)}: ${cell(f.claim)} | ${l.hz ?? '—'} | ${num(f.published)} | ${tol} | ${model} | ${gap} | ${within} | ${cell(l.model?.detail ?? '')} | ${cell(f.source)} |`,
    );
  }
  return out.join('\n');
}

export function publishedJson(lines: readonly PublishedLine[]): unknown {
  return lines.map((l) => ({
    id: l.figure.id,
    claim: l.figure.claim,
    source: l.figure.source,
    hz: l.hz,
    published: l.figure.published,
    compare: l.figure.compare,
    tolerance: l.figure.tolerance,
    model: l.model?.value ?? null,
    model_range: l.model?.range ?? null,
    gap: l.gap,
    within: l.within,
    detail: l.model?.detail ?? null,
    error: l.error,
  }));
}
