/**
 * Progress during a sweep. On a terminal: one line, rewritten in place (a
 * carriage return, the text cut to the terminal's width, then "erase to end of
 * line"), with any other message printed above it. Elsewhere (a pipe, a log
 * file, CI): one line per update, as plain text.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** Shows `text` as the current state. */
  update(text: string): void;
  /** A message that stays (a warning, an error), printed above the progress line. */
  log(line: string): void;
  /** Removes the progress line; later output starts on a clean line. */
  done(): void;
}

const ERASE_LINE = '\x1b[K';

export function progressLine(stream: ProgressStream): Progress {
  if (!stream.isTTY) {
    return {
      update: (text) => void stream.write(`${text}\n`),
      log: (line) => void stream.write(`${line}\n`),
      done: () => {},
    };
  }
  let shown: string | null = null;
  const fit = (text: string): string => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  return {
    update(text) {
      shown = fit(text);
      stream.write(`\r${shown}${ERASE_LINE}`);
    },
    log(line) {
      stream.write(`\r${ERASE_LINE}${line}\n`);
      if (shown !== null) stream.write(`${shown}${ERASE_LINE}`);
    },
    done() {
      if (shown !== null) stream.write(`\r${ERASE_LINE}`);
      shown = null;
    },
  };
}

export const fmtDuration = (sec: number): string =>
  sec >= 90 ? `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s` : `${Math.round(sec)}s`;

export interface ProgressState {
  /** Runs started so far, this one included, and the runs planned (a lower bound under --runs auto). */
  readonly run: number;
  readonly planned: number;
  readonly atLeast: boolean;
  readonly configuration: string;
  /** This configuration's run number and its planned runs (or the maximum under --runs auto). */
  readonly configRun: number;
  readonly configRuns: number;
  readonly elapsedSec: number;
  /** Seconds left, or null before the first run has finished. */
  readonly etaSec: number | null;
}

export function progressText(s: ProgressState): string {
  const eta = s.etaSec === null ? '?' : `${s.atLeast ? '≥' : ''}${fmtDuration(s.etaSec)}`;
  const total = `${s.atLeast ? '≥' : ''}${s.planned}`;
  return `[${s.run}/${total}] ${s.configuration} run ${s.configRun}/${s.atLeast ? `≤${s.configRuns}` : s.configRuns}  elapsed ${fmtDuration(s.elapsedSec)}  ETA ${eta}`;
}
