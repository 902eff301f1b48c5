// A realistic assistant session against the built server, spoken to by the SDK's real Client over
// stdio. The client itself validates every structuredContent against the published outputSchema;
// here each result is also checked against the full (deep) result schema and its text twin.
import { rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkToolResult } from '../helpers/result-schema.js';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let s: Connected;

beforeAll(async () => {
  dir = tempDir();
  s = await connect({ dir });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(tool: string, args: Record<string, unknown>) {
  const r = await s.call(tool, args);
  const text = (r.content as { type: string; text: string }[])[0]!;
  expect(text.type).toBe('text');
  expect(JSON.parse(text.text)).toEqual(r.structuredContent);
  // The result is exactly what the answering action's own schema says (result-schema.ts).
  expect(() => checkToolResult(tool, r.structuredContent, r.isError)).not.toThrow();
  return r;
}

async function ok(tool: string, args: Record<string, unknown>) {
  const r = await call(tool, args);
  expect(r.isError, JSON.stringify(r.structuredContent)).toBeFalsy();
  return r.structuredContent;
}

describe('stdio server, driven by the real MCP client', () => {
  it('identifies itself as "flow" and lists its tools', async () => {
    expect(s.client.getServerVersion()?.name).toBe('flow');
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['flow', 'plan', 'task', 'snapshot', 'document', 'search', 'context', 'command']);
    expect(tools.every((t) => t.outputSchema && t.title && t.annotations)).toBe(true);
  });

  it('runs a whole working session: flow, plans, dependent tasks, next, claim, complete, list', async () => {
    const flow = await ok('flow', { action: 'create', name: 'Checkout redesign', description: 'New payment page' });
    expect(existsSync(join(dir, '.flow', 'flow.db'))).toBe(true);
    const design = await ok('plan', { action: 'create', title: 'Design', objective: 'Agree on the flow' });
    const build = await ok('plan', { action: 'create', title: 'Build' });
    expect(build.current).toEqual({ flow_id: flow.flow.id, plan_id: build.plan.id });

    const spec = await ok('task', { action: 'create', title: 'Write the spec', priority: 'high', plan_id: design.plan.id });
    const batch = await ok('task', {
      action: 'create',
      tasks: [
        { title: 'API endpoint', depends_on: [spec.task.id] },
        { title: 'Payment form', depends_on: [spec.task.id] },
        { title: 'End-to-end tests', depends_on: ['#1', '#2'], priority: 'urgent' },
      ],
    });
    expect(batch.created).toBe(3);
    const [api, form, e2e] = batch.tasks.map((t: { id: string }) => t.id);

    const next1 = await ok('task', { action: 'next' });
    expect(next1.task.id).toBe(spec.task.id);
    expect(next1.also_ready).toEqual([]);

    const claim = await ok('task', { action: 'claim', agent: 'claude-1' });
    expect(claim.task).toMatchObject({ id: spec.task.id, status: 'in_progress', claim: { agent: 'claude-1', active: true } });
    const busy = await call('task', { action: 'claim', agent: 'claude-2', id: spec.task.id });
    expect(busy.isError).toBe(true);
    expect(busy.structuredContent.error.message).toMatch(/claimed by claude-1/);

    const done = await ok('task', { action: 'set_status', id: spec.task.id, status: 'done', expected_revision: claim.task.revision });
    expect(done.task).toMatchObject({ status: 'done' });
    expect(done.task).not.toHaveProperty('claim');
    expect(done.task.completed_at).toBeTruthy();
    expect(new Set(done.unblocked)).toEqual(new Set([api, form]));

    const next2 = await ok('task', { action: 'next' });
    expect([api, form]).toContain(next2.task.id);
    for (const id of [api, form]) await ok('task', { action: 'set_status', id, status: 'done' });
    expect((await ok('task', { action: 'next' })).task.id).toBe(e2e);

    const list = await ok('task', { action: 'list', status: 'done' });
    expect(list.tasks.map((t: { id: string }) => t.id)).toEqual([spec.task.id, api, form]);
    const g = await ok('flow', { action: 'get' });
    expect(g.flow.counts).toMatchObject({ total: 4, done: 3, progress: 75 });
    expect(g.flow.plans.map((p: { title: string }) => p.title)).toEqual(['Design', 'Build']);
  });

  it('answers bad calls with isError results that say what to do, and keeps serving', async () => {
    const r = await call('task', { action: 'set_status', id: 't-nope', status: 'doen' });
    expect(r.isError).toBe(true);
    expect(r.structuredContent.error.message).toMatch(/status: "doen" is not one of .*did you mean/);
    const unknown = await s.client.callTool({ name: 'tasks', arguments: { action: 'list' } }).catch((e: Error) => ({ isError: true, e }));
    expect(unknown.isError).toBe(true);
    expect((await ok('flow', { action: 'list' })).flows).toHaveLength(1);
  });

  it('says on stderr which project directory it serves and why', async () => {
    expect(s.stderr()).toContain(`project ${dir} (from flag)`);
  });
});
