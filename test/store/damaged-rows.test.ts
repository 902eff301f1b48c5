// JSON columns of a flow.db flowmcp did not write (a cloned repository's, or a damaged one): each read
// is one clear storage refusal naming the table and column, never "Internal error" or a stack trace,
// and a `blobs` of the wrong shape never lets prune decide which blobs are unused.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { caller } from '../helpers/call.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
beforeAll(() => assertBuilt());

function planted(sql: string): string {
  t = workspace();
  const c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Auth' });
  c.ok('context', { action: 'save', summary: 'Working on it.' });
  c.ok('snapshot', { action: 'create', label: 'one' });
  t.ws.close();
  const db = new Database(join(t.dir, '.flow', 'flow.db'));
  db.exec(sql);
  db.close();
  t.ws = Workspace.open(t.dir);
  return t.dir;
}

describe('JSON columns flowmcp did not write', () => {
  it.each([
    ['snapshots.counts', `UPDATE snapshots SET counts = 'not json'`, ['snapshot', 'list']],
    ['snapshots.blobs', `UPDATE snapshots SET blobs = '{}'`, ['snapshot', 'prune']],
    ['events.changes', `UPDATE events SET changes = '{'`, ['log']],
    ['context_state.files', `UPDATE context_state SET files = '"a string"'`, ['context', 'resume']],
  ])('%s: refused with the table and column named, no stack, no Internal error', (column, sql, args) => {
    const dir = planted(sql);
    const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', timeout: 15_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/damaged or not one flowmcp wrote/);
    expect(r.stderr).toContain(column);
    expect(r.stderr).not.toMatch(/Internal error|    at /);
  });
});
