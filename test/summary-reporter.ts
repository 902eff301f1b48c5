// Ends the run with one plain line, "N passed, N failed, N skipped", that any CI log reader understands;
// a test file that failed outside its tests (a hook, a leftover temp folder, an import) is counted too,
// so the line never says "0 failed" for a run that failed.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.counts.passed++;
    else if (state === 'failed') this.counts.failed++;
    else this.counts.skipped++;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const { passed, failed, skipped } = this.counts;
    const files = testModules.filter((m) => m.errors().length > 0).length;
    const outside = files > 0 ? `, ${files} file(s) failed outside a test` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped${outside}\n`);
  }
}
