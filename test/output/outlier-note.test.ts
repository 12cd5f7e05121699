/** The outlier warning names each outlying run with its score, and is empty when there is none. */
import { describe, expect, it } from 'vitest';

import { formatOutliers } from '../../src/output/outlier-note.js';

describe('formatOutliers', () => {
  it('names every outlying run and says they are kept', () => {
    const text = formatOutliers([
      { configuration: 'strategy=eager threads=2', run: 3, faultsPerSec: 5e5, z: -6.04 },
      { configuration: 'strategy=none threads=1', run: 1, faultsPerSec: 2e6, z: 4.5 },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^warning: 2 runs are outliers \(modified z-score beyond ±3\.5\); kept in every figure/);
    expect(lines.slice(1)).toEqual([
      '  strategy=eager threads=2 run 3: z = -6.0',
      '  strategy=none threads=1 run 1: z = 4.5',
    ]);
    expect(formatOutliers([])).toBe('');
  });
});
