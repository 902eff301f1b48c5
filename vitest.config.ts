import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn real server processes; two cores means two workers is plenty.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
