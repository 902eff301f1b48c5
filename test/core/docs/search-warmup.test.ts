// A server's warm-up, run soon after it opens a project: it catches up rows an import left without search
// entries and files edited while no server ran, without any search asking; a project closed before it
// starts is left alone; a bad embedder setting stops only the warm-up, said at debug level.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmSearch } from '../../../src/core/docs/search-warmup.js';
import { searchBacklog } from '../../../src/core/docs/search-backlog.js';
import { isLongRunning } from '../../../src/core/kernel/long-running.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { getDocumentByPath } from '../../../src/store/documents.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
}

function bigImport(dir: string): string {
  const list = Array.from({ length: 60 }, (_, f) => ({
    id: `flow_${f}`,
    name: `Flow ${f}`,
    plans: [{ id: `plan_${f}`, name: `Plan ${f}`, tasks: Array.from({ length: 50 }, (_, k) => ({ id: `task_${f}_${k}`, name: `Task ${k} of flow ${f}`, status: 'todo' })) }],
  }));
  const file = join(dir, 'flows.json');
  writeFileSync(file, JSON.stringify({ flows: list }));
  return file;
}

describe('warmSearch', () => {
  it('marks the project long-running and, once its delay is over, catches up imported rows and edited files', async () => {
    const t = workspace();
    writeFileSync(join(t.dir, 'README.md'), '# Readme\n\nfirst words\n');
    await asyncCaller(t.call).ok('document', { action: 'index', paths: ['README.md'] });
    importFile(t.call, bigImport(t.dir), {});
    writeFileSync(join(t.dir, 'README.md'), '# Readme\n\nwords written while no server ran\n');
    const backlog = searchBacklog(t.call);
    expect(backlog).toBeGreaterThan(0);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    warmSearch(t.call);
    expect(isLongRunning(t.ws)).toBe(true);
    expect(searchBacklog(t.call)).toBe(backlog); // nothing before the delay: the first calls go first
    vi.advanceTimersByTime(300);
    await until(() => searchBacklog(t.call) === 0);
    await until(() => getDocumentByPath(t.ws.db, 'project', 'README.md')!.size === Buffer.byteLength('# Readme\n\nwords written while no server ran\n'));
  });

  it('does nothing once the project was closed before its delay was over', () => {
    const t = tempWorkspace();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    warmSearch(t.call);
    t.cleanup();
    expect(() => vi.advanceTimersByTime(300)).not.toThrow();
  });

  it('stops at a bad embedder setting, saying why at debug level', async () => {
    const t = workspace();
    vi.stubEnv('FLOW_EMBEDDER', 'bogus');
    vi.stubEnv('FLOW_LOG', 'debug');
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (said.push(String(s)), true));
    try {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      warmSearch(t.call);
      vi.advanceTimersByTime(300);
      await until(() => said.some((l) => l.includes('search warm-up stopped')));
    } finally {
      spy.mockRestore();
    }
    expect(said.join('')).toMatch(/flowmcp debug: search warm-up stopped: Embedder "bogus" is not one flowmcp has/);
  });
});
