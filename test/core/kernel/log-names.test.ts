// The event log's filters name things as every command does (log-names.ts): an id the log holds, else a
// flow, plan or task by id or exact title, a document by path or id, a snapshot by id; two things with
// that name, or none, are refused with what to do instead of an empty page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logEntityId, logFlowId } from '../../../src/core/kernel/log-names.js';
import type { FlowError } from '../../../src/model/errors.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const fresh = workspacePerTest();

function seeded() {
  const w = fresh();
  const { ok } = caller(w.call);
  const flow = ok('flow', { action: 'create', name: 'Checkout' }).flow;
  const plan = ok('plan', { action: 'create', title: 'Build' }).plan;
  const task = ok('task', { action: 'create', title: 'H3' }).task;
  return { w, ok, flow, plan, task };
}

const refusal = (f: () => unknown) => {
  const e = caught<FlowError>(f);
  return { code: e.code, message: e.message };
};

describe('logFlowId', () => {
  it('a flow by id (any case) or exact name; a flow since deleted by the id the log holds; else "No flow"', () => {
    const { w, ok, flow } = seeded();
    expect(logFlowId(w.call, 'Checkout')).toBe(flow.id);
    expect(logFlowId(w.call, flow.id.toUpperCase())).toBe(flow.id);
    const gone = ok('flow', { action: 'create', name: 'Gone' }).flow;
    ok('flow', { action: 'delete', id: gone.id, confirm: true });
    expect(logFlowId(w.call, gone.id)).toBe(gone.id);
    expect(refusal(() => logFlowId(w.call, 'Gone'))).toEqual({ code: 'not_found', message: 'No flow "Gone".' });
  });
});

describe('logEntityId', () => {
  it('a plan or task by exact title, any id by its kind, a document by path or id, a snapshot by id', () => {
    const { w, ok, flow, plan, task } = seeded();
    expect(logEntityId(w.call, 'build')).toBe(plan.id);
    expect(logEntityId(w.call, 'H3')).toBe(task.id);
    expect(logEntityId(w.call, task.id.toUpperCase())).toBe(task.id);
    const doc = ok('document', { action: 'write', path: 'notes/a.md', content: '# A', flow_id: flow.id }).document;
    expect(logEntityId(w.call, './notes/a.md')).toBe(doc.id);
    expect(logEntityId(w.call, doc.id.toUpperCase())).toBe(doc.id);
    const snap = ok('snapshot', { action: 'create', label: 'before' }).snapshot;
    expect(logEntityId(w.call, snap.id.toUpperCase())).toBe(snap.id);
  });

  it('an id of a kind that has no such row is refused as that kind, with the nearest snapshot for a snapshot id', () => {
    const { w, ok } = seeded();
    const snap = ok('snapshot', { action: 'create', label: 'x' }).snapshot;
    const typo = snap.id.slice(0, -1) + (snap.id.endsWith('z') ? 'y' : 'z');
    expect(refusal(() => logEntityId(w.call, typo))).toEqual({ code: 'not_found', message: `No snapshot "${typo}". Did you mean ${snap.id} ("x")?` });
    expect(refusal(() => logEntityId(w.call, 'd-zzzz'))).toEqual({ code: 'not_found', message: 'No document "d-zzzz".' });
    expect(refusal(() => logEntityId(w.call, 'c-zzzz'))).toEqual({ code: 'not_found', message: 'No context "c-zzzz".' });
    expect(refusal(() => logEntityId(w.call, 'p-zzzz')).message).toMatch(/^No plan "p-zzzz"\./);
    expect(refusal(() => logEntityId(w.call, 'f-zzzz')).message).toMatch(/^No flow "f-zzzz"\./);
  });

  it('a name two things answer to is refused listing both; nothing named lists the nearest of every kind', async () => {
    const { w, ok, flow, task } = seeded();
    ok('plan', { action: 'create', title: 'Checkout' });
    const plan = ok('plan', { action: 'list' }).plans.find((p: { title: string }) => p.title === 'Checkout');
    expect(refusal(() => logEntityId(w.call, 'Checkout'))).toEqual({
      code: 'invalid_input',
      message: `"Checkout" names 2 things: flow ${flow.id}, plan ${plan.id}. Nothing was shown.`,
    });

    const doc = ok('document', { action: 'write', path: 'guide.md', content: '# Guide', flow_id: flow.id }).document;
    writeFileSync(join(w.dir, 'guide.md'), '# Guide\n\nThe project file of the same path.');
    await asyncCaller(w.call).ok('document', { action: 'index', paths: ['guide.md'] });
    const both = caught<FlowError>(() => logEntityId(w.call, 'guide.md'));
    expect(both.message).toMatch(new RegExp(`^"guide\\.md" names 2 things: flow document ${doc.id}, project file d-\\w+\\. Nothing was shown\\.$`));

    expect(refusal(() => logEntityId(w.call, 'Chekout'))).toEqual({ code: 'not_found', message: `No flow, plan, task or document "Chekout". Did you mean ${flow.id} ("Checkout") or ${plan.id} ("Checkout")?` });
    expect(refusal(() => logEntityId(w.call, 'guide.mdx')).message).toMatch(/Did you mean guide\.md\?$/);
    expect(refusal(() => logEntityId(w.call, 'H4')).message).toBe('No flow, plan, task or document "H4".');
    expect(logEntityId(w.call, 'h3')).toBe(task.id);
  });
});
