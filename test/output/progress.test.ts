/** Progress: rewritten in place on a terminal (messages above it), one line per update elsewhere. */
import { describe, expect, it } from 'vitest';

import { progressLine, progressText } from '../../src/output/progress.js';

/** "Erase to end of line" (CSI K). */
const ERASE = '\u001b[K';

function sink(
  isTTY: boolean,
  columns = 40,
): { text: () => string; stream: { isTTY: boolean; columns: number; write(t: string): void } } {
  let out = '';
  return { text: () => out, stream: { isTTY, columns, write: (t: string) => void (out += t) } };
}

describe('progressLine', () => {
  it('on a terminal: one line rewritten with \\r, cut to the width, messages above it', () => {
    const s = sink(true, 30);
    const p = progressLine(s.stream);
    p.update('[1/4] a run 1/2');
    p.update('[2/4] ' + 'x'.repeat(60));
    p.log('warning: something');
    p.done();
    const out = s.text();
    expect(out).not.toMatch(/\[1\/4\][^\r]*\n/); // no newline after a progress update
    expect(out).toContain('\r[1/4] a run 1/2\x1b[K');
    const cut = out.split('\r').find((seg) => seg.startsWith('[2/4]'))!;
    expect(cut.replace('\x1b[K', '').length).toBe(29);
    expect(cut).toContain('…');
    // The message is on its own line, then the progress line is drawn again.
    expect(out).toContain(`\r${ERASE}warning: something\n[2/4] ${'x'.repeat(22)}…${ERASE}`);
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('elsewhere: one plain line per update and per message', () => {
    const s = sink(false);
    const p = progressLine(s.stream);
    p.update('[1/2] a run 1/1');
    p.log('note');
    p.update('[2/2] b run 1/1');
    p.done();
    expect(s.text()).toBe('[1/2] a run 1/1\nnote\n[2/2] b run 1/1\n');
  });
});

describe('progressText', () => {
  it('names the configuration, the run, elapsed and ETA; a lower bound under --runs auto', () => {
    const base = {
      run: 3,
      planned: 12,
      atLeast: false,
      configuration: 'strategy=eager threads=2',
      configRun: 2,
      configRuns: 3,
      elapsedSec: 95,
      etaSec: 30,
    };
    expect(progressText(base)).toBe('[3/12] strategy=eager threads=2 run 2/3  elapsed 1m35s  ETA 30s');
    expect(progressText({ ...base, atLeast: true, configRuns: 30, etaSec: null })).toBe(
      '[3/≥12] strategy=eager threads=2 run 2/≤30  elapsed 1m35s  ETA ?',
    );
  });
});
