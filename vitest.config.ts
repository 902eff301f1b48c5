import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn real server processes; two cores means two workers is plenty.
    maxWorkers: 2,
    // The developer's own ~/.config/flowmcp/config.json must not change what tests see (spawned CLIs inherit this).
    // Every tool result is checked against its action's own result schema (src/tools/result-check.ts).
    env: { FLOWMCP_CONFIG: '/dev/null/no-flowmcp-user-config.json', FLOWMCP_CHECK_RESULTS: '1' },
    // Every process a test starts is killed after that test (or file, or run), whatever happened to it.
    globalSetup: ['./test/setup/global.ts'],
    setupFiles: ['./test/setup/worker.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
