// After `flowmcp recover`, the next command goes on in the flow (and plan) the project was in, when
// they still exist, instead of stopping at "no current flow"; when the old database cannot tell and
// only one flow came back, that one; never a flow that did not come back, nor a guess between several.
import Database from 'better-sqlite3';
import { openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

/** What a new session (the next command) starts in: its current flow, and the plan a new task goes into. */
function whereNext(dir: string): { flow: string; plan: string } | { error: string; current: unknown } {
  const ws = Workspace.open(dir);
  try {
    const c = caller({ ws, session: ws.session('next') });
    const got = c.raw('flow', { action: 'get' });
    // With no current flow, what flow list shows as current.
    if (got.isError) return { error: (got.structured.error as { message: string }).message, current: c.ok('flow', { action: 'list' }).current };
    const task = c.ok('task', { action: 'create', title: 'next thing' }).task as { plan_id: string };
    return { flow: (got.structured.flow as { id: string }).id, plan: task.plan_id };
  } finally {
    ws.close();
  }
}

/** Zeroes the pages of the tasks table: the database still opens and its settings read, but it fails its check. */
function damageTasks(dir: string): void {
  const file = join(dir, '.flow', 'flow.db');
  const db = new Database(file, { readonly: true });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'tasks'").pluck().all() as number[];
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    for (const p of pages) writeSync(fd, Buffer.alloc(size), 0, size, (p - 1) * size);
  } finally {
    closeSync(fd);
  }
}

describe('the current flow after recover', () => {
  it('is the flow and plan the project was in', () => {
    const dir = scratch();
    const ws = Workspace.open(dir);
    const c = caller({ ws, session: ws.session('a') });
    const alpha = c.ok('flow', { action: 'create', name: 'Alpha' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'First', flow_id: alpha });
    const second = c.ok('plan', { action: 'create', title: 'Second', flow_id: alpha }).plan.id as string;
    const beta = c.ok('flow', { action: 'create', name: 'Beta' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Other', flow_id: beta });
    c.ok('flow', { action: 'switch', id: alpha });
    c.ok('plan', { action: 'use', id: second });
    c.ok('snapshot', { action: 'create' });
    ws.close();
    expect(whereNext(dir)).toEqual({ flow: alpha, plan: second });
    recover(dir, { force: true });
    expect(whereNext(dir)).toEqual({ flow: alpha, plan: second });
  });

  it('is the one flow that came back when the old database cannot tell, and none when several did', () => {
    for (const names of [['Alpha'], ['Alpha', 'Beta']]) {
      const dir = scratch();
      const ws = Workspace.open(dir);
      const c = caller({ ws, session: ws.session('a') });
      const ids = names.map((name) => c.ok('flow', { action: 'create', name }).flow.id as string);
      const plans = ids.map((id) => c.ok('plan', { action: 'create', title: 'Build', flow_id: id }).plan.id as string);
      c.ok('snapshot', { action: 'create' });
      ws.close();
      writeFileSync(join(dir, '.flow', 'flow.db'), 'this is not a database'.repeat(100));
      recover(dir);
      if (ids.length === 1) expect(whereNext(dir)).toMatchObject({ flow: ids[0], plan: plans[0] });
      else expect(whereNext(dir)).toEqual({ error: 'No current flow in this session.', current: { flow_id: null, plan_id: null } });
    }
  });

  it('is none when the flow the project was in did not come back, even with one flow left', () => {
    const dir = scratch();
    const ws = Workspace.open(dir);
    const c = caller({ ws, session: ws.session('a') });
    const alpha = c.ok('flow', { action: 'create', name: 'Alpha' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build', flow_id: alpha });
    c.ok('task', { action: 'create', title: 'Cart' });
    c.ok('snapshot', { action: 'create' });
    // Made after the newest snapshot and current when the database broke: it cannot come back.
    const late = c.ok('flow', { action: 'create', name: 'Late' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Late plan', flow_id: late });
    c.ok('flow', { action: 'switch', id: late });
    ws.close();
    damageTasks(dir);

    const report = recover(dir);
    expect(report.note).toBeUndefined(); // found damaged, so rebuilt (not "nothing was changed")
    expect(report.flows).toBe(1);
    expect(whereNext(dir)).toEqual({ error: 'No current flow in this session.', current: { flow_id: null, plan_id: null } });
  });
});
