/** Renders a Vega-Lite spec to standalone SVG in Node, headless, with text widths measured for the page's fonts. */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Text widths for layout. Without a canvas, vega estimates 0.8 em per
 * character, which is far wider than real sans-serif text: legends and axis
 * labels get truncated and charts padded. This table gives approximate advance
 * widths (in em) of DejaVu Sans, the widest of the fonts the page asks for, so
 * the estimate errs on the generous side in Chromium, Firefox and Safari alike.
 * Vega supports replacing `textMetrics.width` (vl-convert does the same).
 */
const NARROW: Record<string, number> = {
  ' ': 0.32,
  '.': 0.32,
  ',': 0.32,
  ':': 0.34,
  ';': 0.34,
  "'": 0.28,
  '|': 0.34,
  '!': 0.4,
  i: 0.28,
  j: 0.28,
  l: 0.28,
  f: 0.36,
  t: 0.4,
  r: 0.42,
  '(': 0.39,
  ')': 0.39,
  '[': 0.39,
  ']': 0.39,
  '-': 0.37,
  '/': 0.34,
  I: 0.3,
  J: 0.3,
  m: 0.98,
  w: 0.82,
  M: 0.87,
  W: 0.99,
  '%': 0.95,
  '@': 1.0,
  '×': 0.84,
  '—': 1.0,
  '…': 1.0,
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

/**
 * Gives every data mark a <title> child holding its description, which a
 * browser shows on hover: the exact values without a script. Vega writes data
 * marks as empty elements with an aria-label; axes and legends are groups.
 */
export function withTitles(svg: string): string {
  return svg.replace(
    /<(path|line|rect|circle|text)(\s[^>]*?aria-label="([^"]*)"[^>]*?)\/>/g,
    (all, tag: string, attrs: string, label: string) =>
      attrs.includes('role="graphics-symbol"') ? `<${tag}${attrs}><title>${label}</title></${tag}>` : all,
  );
}

/** Renders a Vega-Lite spec to a standalone SVG string, headless. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
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
    return withTitles(svg.includes('xlink:') ? svg : svg.replace(/\s+xmlns:xlink="[^"]*"/, ''));
  } finally {
    view.finalize();
    if (textMetrics && savedWidth) textMetrics.width = savedWidth;
  }
}
