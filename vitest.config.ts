import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn real server processes; two cores means two workers is plenty.
    maxWorkers: 2,
    // Every process a test starts is killed after that test (or file, or run), whatever happened to it.
    globalSetup: ['./test/setup/global.ts'],
    setupFiles: ['./test/setup/worker.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
