import { defineConfig } from 'vitest/config';

/**
 * The test set StrykerJS runs against each mutant (`npm run mutate`): the unit and integration
 * suites of the mutated folders. Left out: test/e2e (real Chromium, builds), the electron-* suites
 * (electron/ is not mutated) and the layering check (it reads source text, kills nothing real).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/electron-*.test.ts', 'test/layering.test.ts', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
