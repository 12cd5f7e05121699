// StrykerJS: mutation testing of the model's strategies, journals and
// invariant check, the analysis and the rows. Too slow for CI; run it by hand
// with `npm run test:mutation` (scripts/mutation.sh), one folder per Stryker
// run, named by MUTATION_FOLDER. Incremental: a rerun tests only mutants whose
// code or covering tests changed since that folder's last run.

/** The folders under test, each with the files it mutates. */
const FOLDERS = {
  model: ['src/model/strategies/**/*.ts', 'src/model/journals/**/*.ts', 'src/model/state.ts'],
  analysis: ['src/analysis/**/*.ts'],
  rows: ['src/rows/**/*.ts'],
};

const folder = process.env.MUTATION_FOLDER ?? 'all';
const files = FOLDERS[folder] ?? Object.values(FOLDERS).flat();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.mjs', related: false },
  // Each mutant runs only the tests that cover it.
  coverageAnalysis: 'perTest',
  // Index files only re-export.
  mutate: [...files, '!**/index.ts'],
  // Static mutants (module-level constants) would rerun every test for each one.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${folder}.incremental.json`,
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  tempDirName: '.stryker-tmp',
  // Two cores shared with everything else; raise it (--concurrency) on a bigger machine.
  concurrency: 2,
  timeoutMS: 20000,
  // The initial run covers every included test file; on a loaded machine it takes longer than the default 5 minutes.
  dryRunTimeoutMinutes: 30,
  cleanTempDir: 'always',
};
