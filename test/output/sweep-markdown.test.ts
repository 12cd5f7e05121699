/** The Markdown summary of a sweep: its context, a table row per measured configuration, and the ones not measured. */
import { describe, expect, it } from 'vitest';

import { sweepMarkdown } from '../../src/output/sweep-markdown.js';
import type { Row } from '../../src/rows/rows.js';
import { makeRow, VIRTUAL_KEY } from '../helpers/rows.js';

const row = (over: Partial<Row>): Row =>
  makeRow({
    ...VIRTUAL_KEY,
    host: 'box',
    cpu_model: 'CPU A',
    harness_version: '0.1.0+1234567',
    command_line: 'faultscale bench --quick',
    threads: 1,
    runs: 3,
    faults_per_sec_mean: 2_000_000,
    ci95_halfwidth_share: 0.012,
    efficiency: 1,
    ...over,
  });

describe('sweep Markdown', () => {
  const text = sweepMarkdown([
    row({}),
    row({ threads: 4, faults_per_sec_mean: 6_000_000, efficiency: 0.75 }),
    row({
      strategy: 'none',
      threads: 4,
      status: 'failed',
      error: 'run 1 of 3 failed: a | pipe',
      faults_per_sec_mean: NaN,
    }),
  ]);

  it('names the context it ran in', () => {
    expect(text).toMatch(/^# faultscale sweep\n/);
    expect(text).toMatch(/\| target \| virtual on westmere-ex-8s \(8x10x2\), simulated on box \|/);
    expect(text).toMatch(/\| build \| 0\.1\.0\+1234567 \|/);
    expect(text).toMatch(/\| command \| `faultscale bench --quick` \|/);
  });

  it('has one table row per measured configuration, and lists the rest with why', () => {
    const body = text.split('\n').filter((l) => l.startsWith('| separate-file'));
    expect(body).toEqual([
      '| separate-file / jbd2 / eager | rw | 1 | 2.00M | ±1.2% | 1.00 | - | - |',
      '| separate-file / jbd2 / eager | rw | 4 | 6.00M | ±1.2% | 0.75 | - | - |',
    ]);
    expect(text).toMatch(/^- separate-file \/ jbd2 \/ none, 4 threads: failed: run 1 of 3 failed: a \\\| pipe$/m);
  });
});
