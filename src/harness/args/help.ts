/** --help text from an option table, in the table's order, in one of two layouts. */
import type { AnyOption, OptionTable } from './spec.js';

export type HelpLayout =
  /** `  --opt VALUE` on its own line, the description below, indented by six. */
  | { readonly kind: 'below' }
  /** `  --opt VALUE   description` with descriptions starting at column `width + 2`. */
  | { readonly kind: 'column'; readonly width: number };

function label(o: AnyOption): string {
  if (o.kind === 'refused') return o.name;
  // Every command takes -h as --help.
  const base = o.label ?? (o.kind === 'value' ? `${o.name} ${o.metavar}` : o.kind === 'help' ? '--help, -h' : o.name);
  return o.aliases && o.aliases.length > 0 ? `${base} (or ${o.aliases.join(', ')})` : base;
}

/** The options' lines; a change of section starts with a blank line and `Section:`. */
export function optionHelp(table: OptionTable, layout: HelpLayout): string[] {
  const out: string[] = [];
  let section: string | undefined;
  for (const o of Object.values(table)) {
    if (o.kind === 'refused') continue;
    if (o.section !== undefined && o.section !== section) {
      out.push('', `${o.section}:`);
      section = o.section;
    }
    const name = label(o);
    if (layout.kind === 'below') {
      out.push(`  ${name}`, ...o.help.map((line) => `      ${line}`));
      continue;
    }
    const [first = '', ...rest] = o.help;
    const head = name.length < layout.width ? name.padEnd(layout.width) : `${name}  `;
    out.push(`  ${head}${first}`.trimEnd(), ...rest.map((line) => `${' '.repeat(layout.width + 2)}${line}`));
  }
  return out;
}
