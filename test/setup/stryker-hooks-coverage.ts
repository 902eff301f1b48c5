// Only for `npm run mutate` (vitest.stryker.config.ts): code a test file runs in its beforeAll hooks
// (a workspace or a corpus set up once for the file) counts as covered by every test of that file.
// Why: Stryker's vitest runner attributes coverage to the running test; hits outside any test count as
// "static", and a static mutant is run against the WHOLE suite (~1-2 minutes each), which made a run
// over restore/doc-paths/merge take hours (380 of 911 mutants were "static"). What stays static is only
// what runs while modules load (constants, tables), which needs the whole-suite treatment: a mutant
// there is switched on before the module loads ("static" activation). Code hit in a beforeAll runs
// after Stryker's own beforeAll switched the mutant on, so the per-test run sees it.
import { afterEach, beforeAll, beforeEach, inject } from 'vitest';

type Counts = Record<string, number>;
type Coverage = { static: Counts; perTest: Record<string, Counts> };
interface TaskLike {
  name: string;
  type?: string;
  suite?: TaskLike;
  file?: { filepath?: string };
  tasks?: TaskLike[];
}

const ns = ((globalThis as Record<string, unknown>)[inject('globalNamespace' as never) ?? '__stryker__'] ??= {}) as { mutantCoverage?: Coverage };
const dryRun = (inject('mode' as never) as unknown) === 'dry-run';

// The same id Stryker's setup file gives a test (stryker-setup.js, toRawTestId).
function testId(test: TaskLike): string {
  const parts = [test.name];
  for (let s = test.suite; s; s = s.suite) parts.unshift(s.name);
  return `${test.file?.filepath ?? 'unknown.js'}#${parts.join(' ').trim()}`;
}

function testsOf(task: TaskLike): TaskLike[] {
  return (task.tasks ?? []).flatMap((t) => (t.type === 'suite' ? testsOf(t) : t.type === 'test' ? [t] : []));
}

let checkpoint: Counts = {};
const snapshot = (): Counts => ({ ...(ns.mutantCoverage?.static ?? {}) });

if (dryRun) {
  beforeAll(() => {
    checkpoint = snapshot();
  });
  beforeEach(({ task }) => {
    const cov = ns.mutantCoverage;
    if (!cov) return;
    const moved: Counts = {};
    for (const [id, n] of Object.entries(cov.static)) {
      const extra = n - (checkpoint[id] ?? 0);
      if (extra <= 0) continue;
      moved[id] = extra;
      if (checkpoint[id]) cov.static[id] = checkpoint[id]!;
      else delete cov.static[id];
    }
    if (Object.keys(moved).length === 0) return;
    const file = (task as unknown as TaskLike & { file: TaskLike }).file;
    for (const t of testsOf(file)) {
      const per = (cov.perTest[testId(t)] ??= {});
      for (const [id, n] of Object.entries(moved)) per[id] = (per[id] ?? 0) + n;
    }
  });
  afterEach(() => {
    checkpoint = snapshot();
  });
}
