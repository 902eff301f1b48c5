// Ends the run with one plain line, "N passed, N failed, N skipped", that any CI log reader understands.
import type { Reporter, TestCase } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.counts.passed++;
    else if (state === 'failed') this.counts.failed++;
    else this.counts.skipped++;
  }

  onTestRunEnd(): void {
    const { passed, failed, skipped } = this.counts;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
