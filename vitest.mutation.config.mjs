// The tests Stryker runs against each mutant: those that import the mutated
// source directly. Tests that drive compiled workers (dist/) never see a
// mutant, so they would only slow every run; the bootstrap coverage study
// takes minutes, and would take them again for every mutant it covers.
import { configDefaults, defineConfig } from 'vitest/config';

/** Every test that imports mutated source directly. */
const ALL = [
  'test/model/**/*.test.ts',
  'test/analysis/**/*.test.ts',
  'test/rows/**/*.test.ts',
  'test/harness/figures.test.ts',
];

/**
 * The tests that can reach each folder's code (MUTATION_FOLDER, as
 * stryker.config.mjs reads it): src/analysis is imported only by the layers
 * above it, so of the tests above only test/analysis reaches it. A test that
 * cannot reach a mutant never runs for it, so leaving it out changes no score;
 * it only spares the initial coverage run.
 */
const REACHING = { analysis: ['test/analysis/**/*.test.ts'] };

export default defineConfig({
  test: {
    // Instrumented code on a loaded machine runs several times slower than the suite's own runs: the
    // bootstrap tests then pass 5 s, and a test that times out in the dry run stops Stryker altogether.
    testTimeout: 60_000,
    include: REACHING[process.env.MUTATION_FOLDER ?? ''] ?? ALL,
    exclude: [
      ...configDefaults.exclude,
      'test/model/locks.test.ts',
      'test/model/lock-schedules.test.ts',
      'test/analysis/usl-coverage.test.ts',
    ],
  },
});
