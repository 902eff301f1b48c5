// The vitest config `npm run mutate` (StrykerJS) runs. It differs from vitest.config.ts in one way: it leaves
// out the test folders whose subject is a real child process (dist/cli.js) — e2e/, failure/ (crash, kill -9,
// concurrency, fuzz over processes), package/, scripts/, the CLI's own spawn tests and the protocol
// conformance run. Why that is honest and not a shortcut:
// - Stryker places mutants in src/ in its sandbox and switches them on inside the vitest worker
//   (globalThis.__stryker__.activeMutant); the vitest runner does NOT export __STRYKER_ACTIVE_MUTANT__, and
//   dist/cli.js is a bundle of the un-mutated src, so a spawned CLI can never see a mutant: those tests
//   could only pass (a surviving mutant) or cost minutes, never kill.
// - Coverage is per test (coverageAnalysis perTest) and is counted in the worker only, so code reached
//   only through a child process shows as "no coverage" — counted against the score, not hidden.
// Tests that mix in-process calls with a spawned CLI (test/core, test/store, test/server/http*) stay in:
// their in-process part kills mutants; their spawned part runs against the copied dist/cli.js unchanged.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [
      'test/e2e/**',
      'test/failure/**',
      'test/package/**',
      'test/scripts/**',
      'test/web/**',
      'test/cli/cli.test.ts',
      'test/cli/cli-args.test.ts',
      // The launcher's code cache: its subject is dist/cli.js itself, run as a process on a copy of the package.
      'test/cli/launch.test.ts',
      'test/cli/shell-pty.test.ts',
      'test/cli/serve-missing-dir.test.ts',
      'test/server/conformance.test.ts',
      'node_modules/**',
    ],
    // Stryker reads its own results; the house summary reporter is for people.
    reporters: ['default'],
    // Code run in a file's beforeAll hooks counts as covered by that file's tests (see that file).
    setupFiles: [...(base.test?.setupFiles as string[]), './test/setup/stryker-hooks-coverage.ts'],
  },
});
