// The tests Stryker runs against each mutant: those that import the mutated
// source directly. Tests that drive compiled workers (dist/) never see a
// mutant, so they would only slow every run; the bootstrap coverage study
// takes minutes, and would take them again for every mutant it covers.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/model/**/*.test.ts',
      'test/analysis/**/*.test.ts',
      'test/rows/**/*.test.ts',
      'test/harness/figures.test.ts',
    ],
    exclude: [
      ...configDefaults.exclude,
      'test/model/locks.test.ts',
      'test/model/lock-schedules.test.ts',
      'test/analysis/usl-coverage.test.ts',
    ],
  },
});
