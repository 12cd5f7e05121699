/** docs/reference/presets.md: the filesystem presets and the kernel sources behind each choice, from FS_PRESETS. */
import { FS_PRESETS, FS_PRESET_NAMES } from '../../model/fs-presets.js';
import { generatedFrom, table } from './markdown.js';

const INTRO = `\`--preset LIST\` sweeps filesystems as given kernels had them instead of a
journal × strategy grid: each preset is one journal, one strategy, one kind for
the journal's hot lock, one timestamp granularity and one fault path (whose
page_mkwrite a write fault runs: see docs/parameters.md, "Per-filesystem fault
paths"), and its rows carry its
name in the \`preset\` column. A what-if preset is a configuration the 2013
report's machine did not run, kept to show what it would have cost.`;

const gran = (ns: number): string => (ns >= 1e9 ? `${ns / 1e9} s` : `${ns} ns`);

export function presetsPage(): string {
  const rows = FS_PRESET_NAMES.map((name) => {
    const p = FS_PRESETS[name];
    return [
      `\`${name}\``,
      `\`${p.journal}\``,
      `\`${p.strategy}\``,
      `\`${p.lock}\``,
      gran(p.timeGranNs),
      `\`${p.faultPath}\``,
      p.kernel,
      p.whatIf ? 'yes' : 'no',
    ];
  });
  const sources = FS_PRESET_NAMES.flatMap((name) => {
    const p = FS_PRESETS[name];
    return ['', `## \`${name}\``, '', p.about, '', ...p.sources.map((s) => `- ${s}`)];
  });
  const head = ['preset', 'journal', 'strategy', 'hot lock', 'time gran', 'fault path', 'kernel', 'what-if'];
  return [
    generatedFrom('`FS_PRESETS` in src/model/fs-presets.ts'),
    '',
    '# Filesystem presets',
    '',
    INTRO,
    '',
    ...table(head, rows),
    ...sources,
    '',
  ].join('\n');
}
