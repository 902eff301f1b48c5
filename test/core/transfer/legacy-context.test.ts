// The earlier Flow system's context.json imports into a flow's context. Expected counts are written out
// by hand from test/fixtures/legacy-samples/context.b860d25.json: one decision (Korean, with its time and
// plan/task), one error note with its fix, three open files, nothing else.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importLegacyContext } from '../../../src/core/transfer/legacy-context.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { search } from '../../../src/core/docs/search.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempDir, workspacePerTest } from '../../helpers/workspace.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const SAMPLE = fileURLToPath(new URL('../../fixtures/legacy-samples/context.b860d25.json', import.meta.url));
const text = readFileSync(SAMPLE, 'utf8');

const freshWorkspace = workspacePerTest();

function project() {
  const t = freshWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Flow v2' }).flow.id as string;
  return { t, c, flow };
}

describe('importing a legacy context.json', () => {
  it('keeps the decision (text, time, why), the error and its fix, and the files; says which old ids are unknown', async () => {
    const p = project();
    const r = importLegacyContext(p.t.call, { text, source: 'context.json' });
    expect(r).toMatchObject({ flow_id: p.flow, added: { decision: 1, insight: 1 }, already_imported: 0, files_added: 3 });
    expect(r.unresolved.sort()).toEqual(['plan_8cd24b3e', 'task_d80db4d8']);
    expect(r.snapshot).toMatch(/^s-/); // taken first: restoring it undoes the import
    const got = p.c.ok('context', { action: 'get' });
    expect(got.decisions).toEqual([
      expect.objectContaining({ what: 'Flow v2를 Phase 4까지만 구현하기로 결정', at: new Date(2025, 6, 21, 10, 15, 33, 972).toISOString() /* no zone in the file: local time, stored as UTC */, plan_id: null, task_id: null }),
    ]);
    expect(got.insights.map((i: { text: string }) => i.text)).toEqual([
      'Error: ModuleNotFoundError: python.workflow — fix: python/__init__.py의 잘못된 import 제거 (python/__init__.py)',
    ]);
    expect(got.files_touched).toEqual([
      'python/ai_helpers_new/flow_manager.py',
      'python/ai_helpers_new/context_manager.py',
      'tests/test_flow_manager.py',
    ]);
    // Korean decisions are searchable like any other.
    const found = await search(p.t.call, { query: '구현하기로 결정', kind: 'context' }, undefined);
    expect(found.results[0]!.snippet).toContain('Phase 4');
  });

  it('importing the same file twice adds nothing; a dry run changes nothing', () => {
    const p = project();
    const before = dumpDb(p.t.ws);
    const dry = importLegacyContext(p.t.call, { text, source: 'context.json', dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, added: { decision: 1, insight: 1 } });
    expect(dumpDb(p.t.ws)).toEqual(before);
    importLegacyContext(p.t.call, { text, source: 'context.json' });
    const once = dumpDb(p.t.ws);
    const again = importLegacyContext(p.t.call, { text, source: 'context.json' });
    expect(again).toMatchObject({ added: {}, already_imported: 2, files_added: 0 });
    expect(again.snapshot).toBeUndefined(); // nothing to import, nothing to undo
    expect(dumpDb(p.t.ws)).toEqual(once);
  });

  it('a truncated or foreign file is refused with its line and column, and nothing changes', () => {
    const p = project();
    const dir = tempDir();
    const broken = join(dir, 'context.json');
    writeFileSync(broken, text.slice(0, 300));
    const before = dumpDb(p.t.ws);
    expect(() => importFile(p.t.call, broken, {})).toThrow(/not valid JSON \(line \d+, column \d+/);
    expect(readFileSync(broken, 'utf8')).toBe(text.slice(0, 300));
    expect(() => importLegacyContext(p.t.call, { text: '{"memory": {"recent_decisions": [{"when": 1}]}}', source: 'x.json' })).toThrow(
      /not a context.json of the earlier Flow system \(memory.recent_decisions.0.decision/,
    );
    const flows = join(dir, 'flows.json');
    writeFileSync(flows, '{"flows": [], "current_flow_id": null}');
    expect(importFile(p.t.call, flows, {})).toMatchObject({ layout: 'flows-list', created: { flows: 0, plans: 0, tasks: 0 } }); // read as flows, not context
    expect(dumpDb(p.t.ws)).toEqual(before);
  });
});
