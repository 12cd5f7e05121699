/** The report's HTML pieces: escaping, and a table whose cells can carry the exact number behind what they show. */

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A cell: its text, and optionally the exact value (shown on hover) and a class (`num` right-aligns). */
export interface Cell {
  readonly text: string;
  readonly exact?: string;
  readonly cls?: string;
}

export type CellLike = string | Cell;

const asCell = (c: CellLike): Cell => (typeof c === 'string' ? { text: c } : c);

function td(c: CellLike): string {
  const { text, exact, cls } = asCell(c);
  const title = exact === undefined || exact === text ? '' : ` title="${escapeHtml(exact)}"`;
  return `<td${cls ? ` class="${cls}"` : ''}${title}>${escapeHtml(text)}</td>`;
}

/** A table with a caption and a header row; `id` names it for the reader's links and the tests. */
export function htmlTable(
  id: string,
  caption: string,
  head: readonly string[],
  rows: readonly (readonly CellLike[])[],
  note = '',
): string {
  const thead = `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('');
  const cap = `<caption>${escapeHtml(caption)}${note === '' ? '' : `<span class="note">${escapeHtml(note)}</span>`}</caption>`;
  return `<table class="data" data-table="${escapeHtml(id)}">${cap}${thead}<tbody>${body}</tbody></table>`;
}

/** A number cell: shown rounded, exact on hover. */
export const numCell = (shown: string, exact: number | null): Cell =>
  exact === null ? { text: '—', cls: 'num' } : { text: shown, exact: String(exact), cls: 'num' };
