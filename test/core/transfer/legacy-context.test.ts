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
import { caught as caughtError } from '../../helpers/caught.js';
import { readLog } from '../../../src/core/kernel/event-log.js';
import { dumpDb, tempDir, workspacePerTest } from '../../helpers/workspace.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const SAMPLE = fileURLToPath(new URL('../../fixtures/legacy-samples/context.b860d25.json', import.meta.url));
const text = readFileSync(SAMPLE, 'utf8');

const freshWorkspace = workspacePerTest();
const caught = (fn: () => unknown) => caughtError<{ code: string; message: string; hint: string; details: Record<string, any> }>(fn);

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

  it('with no current flow (as after importing flows.json), asks for --flow, the flag import takes, and adds nothing', () => {
    const t = freshWorkspace();
    // An import makes flows without making any current: the next command's session has none.
    importFile(t.call, fileURLToPath(new URL('../../fixtures/legacy-samples/flows.b98cd53.json', import.meta.url)), {});
    const bare = t.newCtx();
    const before = dumpDb(t.ws);
    const e = caught(() => importLegacyContext(bare, { text, source: 'context.json' }));
    expect(e.code).toBe('no_current');
    expect(e.hint).toBe('Pass --flow <id>, or pick a flow with flow switch (flow list shows them), or start one with flow create.');
    expect(dumpDb(t.ws)).toEqual(before);
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

describe('what a context import refuses, adds and records', () => {
  const ctx = (memory: Record<string, unknown>) => JSON.stringify({ memory });

  it('refuses text that is not JSON, or JSON that is no context.json, saying where and what to do', () => {
    const p = project();
    const before = dumpDb(p.t.ws);
    const broken = caught(() => importLegacyContext(p.t.call, { text: '{"memory": {"open_files": [}}', source: 'context.json' }));
    expect(broken).toMatchObject({
      code: 'invalid_input',
      message: 'context.json is not valid JSON (line 1, column 28: unexpected character).',
      hint: 'Fix the file (or restore it from version control) and import again; it was not changed.',
      details: { line: 1, column: 28 },
    });
    const list = caught(() => importLegacyContext(p.t.call, { text: '[1, 2]', source: 'context.json' }));
    expect(list.message).toMatch(/^context\.json is not a context\.json of the earlier Flow system \(top level: .+\)\.$/);
    expect(list.hint).toBe('Pass a .ai-brain/context.json; flows.json and workflow.json files are flow imports.');
    expect(dumpDb(p.t.ws)).toEqual(before);
  });

  it('refuses a file list with an empty path, naming its place; nothing added', () => {
    const p = project();
    const before = dumpDb(p.t.ws);
    const e = caught(() => importLegacyContext(p.t.call, { text: ctx({ open_files: ['a.ts', ' '] }), source: 'context.json' }));
    expect(e.details.problems).toEqual([{ at: 'files[1]', problem: expect.any(String) }]);
    expect(e.message).toMatch(/^context\.json: 1 problem with rows the tools would refuse \(files\[1\]: [^.;]+\)\. Nothing was imported\.$/);
    expect(dumpDb(p.t.ws)).toEqual(before);
  });

  it('adds entries when no file is new, and files when no entry is new; keeps the 100 newest files', () => {
    const p = project();
    const decisions = { recent_decisions: [{ decision: 'Use SQLite', rationale: 'one file' }] };
    const r = importLegacyContext(p.t.call, { text: ctx(decisions), source: 'context.json' });
    expect(r).toMatchObject({ added: { decision: 1 }, files_added: 0 });
    expect(r.snapshot).toMatch(/^s-/);
    expect(p.c.ok('context', { action: 'get' }).decisions).toEqual([expect.objectContaining({ what: 'Use SQLite', why: 'one file' })]);
    const old = Array.from({ length: 60 }, (_, i) => `old/${i}.ts`);
    const later = importLegacyContext(p.t.call, { text: ctx({ ...decisions, open_files: old }), source: 'context.json' });
    expect(later).toMatchObject({ added: {}, already_imported: 1, files_added: 60 });
    expect(p.c.ok('context', { action: 'get' }).files_touched).toEqual(old);
    const next = Array.from({ length: 50 }, (_, i) => `new/${i}.ts`);
    importLegacyContext(p.t.call, { text: ctx({ ...decisions, open_files: [...next, ...old] }), source: 'context.json' });
    expect(p.c.ok('context', { action: 'get' }).files_touched).toEqual([...next, ...old.slice(0, 50)]);
  });

  it('makes the file\'s active plan and task the context\'s, and links decisions to them, once their flows are imported', () => {
    const p = project();
    const flows = join(tempDir(), 'flows.json');
    writeFileSync(flows, JSON.stringify({ flows: [{ id: 'flow_a', name: 'Old', plans: [{ id: 'plan_a', name: 'Plan A', tasks: [{ id: 'task_a', name: 'Task A' }] }] }] }));
    importFile(p.t.call, flows, {});
    const flow = p.c.ok('flow', { action: 'list' }).flows.find((f: { name: string }) => f.name === 'Old').id as string;
    const plan = p.c.ok('plan', { action: 'list', flow_id: flow }).plans[0].id as string;
    const task = p.c.ok('task', { action: 'list', flow_id: flow }).tasks[0].id as string;
    const text = ctx({ active_plan_id: 'plan_a', active_task_id: 'task_a', recent_decisions: [{ decision: 'Ship it', plan_id: 'plan_a', task_id: 'task_a' }] });
    const r = importLegacyContext(p.t.call, { text, source: 'context.json', flow_id: flow });
    expect(r.unresolved).toEqual([]);
    const got = p.c.ok('context', { action: 'get', flow_id: flow });
    expect(got.active).toEqual({ plan_id: plan, task_id: task });
    expect(got.decisions).toEqual([expect.objectContaining({ what: 'Ship it', plan_id: plan, task_id: task })]);
  });

  it('is in the log as one context.import event, and its snapshot says what it was taken before', () => {
    const p = project();
    const r = importLegacyContext(p.t.call, { text, source: 'ctx/context.json' });
    const events = readLog(p.t.call, {}).events.filter((e) => e.entity === 'context');
    expect(events).toEqual([expect.objectContaining({ action: 'context.import', entity_id: p.flow, flow_id: p.flow, summary: 'imported 2 context entries from ctx/context.json' })]);
    const snap = p.c.ok('snapshot', { action: 'list' }).snapshots.find((s: { id: string }) => s.id === r.snapshot);
    expect(snap).toMatchObject({ reason: 'before importing ctx/context.json', flow_id: p.flow });
  });
});
