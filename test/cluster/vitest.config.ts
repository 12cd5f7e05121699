/**
 * `npm run test:cluster`: the tests that need a cluster engine on this
 * machine (*.cluster.ts, which the default run's *.test.ts pattern leaves
 * out). They start their own one-node Slurm cluster; CI installs it first
 * (scripts/cluster/ci-setup.sh).
 */
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['test/cluster/**/*.cluster.ts'],
    // Sweeps under a real scheduler: seconds each, more on a loaded machine.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
