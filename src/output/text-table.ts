/**
 * The one text-table renderer behind every terminal table: a header line, a
 * line of dashes as wide as each column, then the body; columns two spaces
 * apart, each padded to its widest cell on the side `align` says, and no
 * line ending in blanks.
 */
export type Align = 'left' | 'right';

/** Lines of the table; `align(i)` says how column i is padded (default: the first left, the rest right). */
export function textTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  align: (column: number) => Align = (i) => (i === 0 ? 'left' : 'right'),
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => {
        const c = cells[i] ?? '';
        return align(i) === 'left' ? c.padEnd(w) : c.padStart(w);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}
