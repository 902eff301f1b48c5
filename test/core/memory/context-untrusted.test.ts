// A flow.db written by someone else (a cloned repository) names a flow whose id is a path: flowmcp
// never turns it into a context.json outside .flow/context/, on start or on any context call.
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileAll } from '../../../src/core/memory/context.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

describe('context files from an untrusted flow.db', () => {
  it('a flow id shaped like a path never becomes a file outside .flow/context/', () => {
    t = tempWorkspace();
    const c = caller(t.ctx);
    const flow = c.ok('flow', { action: 'create', name: 'Mine' }).flow.id as string;
    c.ok('context', { action: 'save', summary: 'Working on it.' });
    t.ws.close();
    const db = new Database(join(t.dir, '.flow', 'flow.db'));
    db.pragma('foreign_keys = OFF');
    for (const table of ['flows', 'context_entries', 'context_state']) {
      db.prepare(`UPDATE ${table} SET ${table === 'flows' ? 'id' : 'flow_id'} = '../../escaped' WHERE ${table === 'flows' ? 'id' : 'flow_id'} = ?`).run(flow);
    }
    db.close();
    const ws = Workspace.open(t.dir);
    t.ws = ws;
    const ctx = { ws, session: ws.session('test-agent') };
    reconcileAll(ctx);
    const r = caller(ctx).raw('context', { action: 'get', flow_id: '../../escaped' });
    expect(existsSync(join(t.dir, 'escaped.json'))).toBe(false);
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/Internal error|hit a bug/);
  });
});
