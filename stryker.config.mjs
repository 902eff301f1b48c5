// @ts-check
// Mutation testing (issue 20): `npm run mutate`, or `npm run mutate -- --mutate src/core/work/claims.ts`
// for a few files. Not part of `npm test`. See vitest.stryker.config.ts for which tests take part and why.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/core/**/*.ts',
    'src/store/**/*.ts',
    'src/search/**/*.ts',
    'src/memory-format/merge.ts',
    'src/server/http-guard.ts',
    // Type-only and schema-declaration files: mutants there are compile errors or text of zod messages.
    '!src/core/schemas/**',
    // Test-only hook (a pause point for crash tests), switched on by an env var no user sets.
    '!src/core/kernel/test-pause.ts',
  ],
  // The two cores are shared; a Stryker run must not starve the normal test suite.
  concurrency: 2,
  timeoutMS: 20_000,
  // The first, unmutated run of the whole test set takes ~5 minutes on a quiet machine and passed
  // Stryker's default limit of 5 on a busy one (load ~10): the run then stopped before any mutant.
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  // Incremental: results are reused for every mutant whose code and covering tests did not change.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['reports', '.flow'],
  thresholds: { high: 80, low: 60, break: null },
};
