// Vitest's defaults, plus: never collect the copies of the tests that a
// running mutation test (Stryker) keeps in its sandboxes.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
  },
});
