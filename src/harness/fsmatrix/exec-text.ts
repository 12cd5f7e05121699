/**
 * How bench:fs names a command and why it failed, in one line each, for its
 * error messages.
 */
import { quote } from '../errors.js';
import type { Command } from './plan.js';
import type { ExecResult } from './effects.js';

/** The command as a shell would take it, quoting only what needs quoting. */
export function cmdLine(c: Command): string {
  return [c.cmd, ...c.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quote(a))).join(' ');
}

/** How the command ended, with the last line it printed (stderr first, as that is where tools say why). */
export function why(r: ExecResult): string {
  if (r.error) return r.error;
  const last =
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ??
    r.stdout.trim().split('\n').at(-1) ??
    '';
  const how = r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
  return last ? `${how}: ${last.trim()}` : how;
}
