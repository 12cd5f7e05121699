// ESLint flat config: typescript-eslint's recommended rules over the sources,
// workers, benchmarks, tests and scripts, plus the project's own rules below.
// `npm run lint` runs it, and so does `npm test`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettierOff from 'eslint-config-prettier';
import { layersRule } from './eslint/layers.js';

/**
 * Files of src/model that may call the Atomics global directly. Everything
 * else in the model reaches shared memory through a `Memory` (memory.ts), so
 * a virtual-time target can charge each access; a bare `Atomics.` call there
 * would bypass it.
 */
const MODEL_ATOMICS_ALLOWED = [
  'src/model/memory.ts', // defines ATOMICS, the Memory of real threads
  'src/model/locks/**', // the locks, which take their Memory through a LockContext and keep their own layout
  'src/model/roles.ts', // the real-thread shell: start barrier, sleeps between rounds, end of run (real threads only)
  'src/model/state.ts', // initialisation, counter snapshots and invariant checks, while no role runs
  'src/model/diagnose.ts', // the watchdog's post-mortem read of a hung run
  'src/model/sim.ts', // the single-threaded model: no other CPU to charge
  'src/model/scenarios.ts', // reads the single-threaded model's state between steps
  'src/model/world.ts', // the scenarios' world: reads the single-threaded model's state between steps
  'src/model/crash.ts', // a crash and recovery, while no role runs
];

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'results/', 'native/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    rules: {
      // Unused bindings are mistakes, except deliberately ignored ones (`_x`) and rest siblings.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/model/**/*.ts'],
    ignores: MODEL_ATOMICS_ALLOWED,
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Atomics',
          message: 'The model reaches shared memory through its Memory (memory.ts), not the Atomics global.',
        },
      ],
    },
  },
  {
    // A layer imports only the layers below it (eslint/layers.js, README "Layout").
    files: ['src/**/*.ts'],
    plugins: { faultscale: { rules: { layers: layersRule } } },
    rules: { 'faultscale/layers': 'error' },
  },
  // Layout is Prettier's (.prettierrc.json, checked by `npm run lint`): no ESLint rule may disagree with it.
  prettierOff,
);
