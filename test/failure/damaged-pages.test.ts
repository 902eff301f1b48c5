// A flow.db damaged in the middle (a page of one table overwritten; its header and the rest intact):
// whatever reads that page — a CLI command, a tool call, a resource, a prompt — says the database is
// damaged and to run flowmcp recover, never "flowmcp hit a bug" or a bare SQLite message, and the file
// is left byte for byte as it was. (Found by a newcomer's trial: reads went to the catch-all as bugs,
// while a write to the same file already said "damaged".)
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { caller } from '../helpers/call.js';
import { CLI, assertBuilt, connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir = '';
let dbFile = '';
let taskId = '';

/** Overwrites the page a table's b-tree starts at with garbage: reading that table meets SQLITE_CORRUPT. */
function damageTable(file: string, table: string): void {
  const db = new Database(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

beforeAll(() => {
  assertBuilt();
  dir = tempDir();
  const ws = Workspace.open(dir);
  const c = caller({ ws, session: ws.session('seed') });
  c.ok('flow', { action: 'create', name: 'Checkout' });
  c.ok('plan', { action: 'create', title: 'Build' });
  // Enough tasks that the table has interior pages: its root page is then not the only one.
  taskId = c.ok('task', { action: 'create', tasks: Array.from({ length: 300 }, (_, i) => ({ title: `Task ${i} with a title long enough to fill pages` })) }).tasks[0].id;
  ws.close();
  dbFile = join(dir, '.flow', 'flow.db');
  damageTable(dbFile, 'tasks');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--dir', dir, '--json'], { encoding: 'utf8', input: '' });

/** Damaged, with the way out; not the catch-all. */
function saysDamaged(code: unknown, text: string) {
  expect(code).toBe('damaged');
  expect(text).toMatch(/damaged/);
  expect(text).toMatch(/flowmcp recover/);
  expect(text).not.toMatch(/hit a bug|please report|Internal error|disk image is malformed/);
}

describe('a flow.db with one table page damaged', () => {
  it('the CLI reads of that table say damaged, run flowmcp recover; nothing is written', () => {
    const before = readFileSync(dbFile);
    for (const args of [['task', 'list'], ['task', 'get', taskId], ['task', 'next']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).not.toBe(0);
      const err = JSON.parse(r.stdout || r.stderr).error;
      saysDamaged(err.code, `${err.message} ${err.hint}`);
      expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(dbFile).equals(before)).toBe(true);
  });

  it('over MCP: tool calls, a resource read and a prompt say damaged, run flowmcp recover; nothing is written', async () => {
    const before = readFileSync(dbFile);
    const s = await connect({ dir });
    try {
      for (const args of [{ action: 'list' }, { action: 'get', id: taskId }, { action: 'next' }]) {
        const r = await s.call('task', args);
        expect(r.isError, JSON.stringify(args)).toBe(true);
        const err = r.structuredContent.error;
        saysDamaged(err.code, `${err.message} ${err.hint}`);
      }
      const read = await s.client.readResource({ uri: `flow://tasks/${taskId}` }).then(
        () => undefined,
        (e: { message: string; data?: { code?: string } }) => e,
      );
      expect(read, 'the read is refused').toBeDefined();
      saysDamaged(read!.data?.code, read!.message);
      const prompt = await s.client.getPrompt({ name: 'resume', arguments: {} }).then(
        () => undefined,
        (e: { message: string; data?: { code?: string } }) => e,
      );
      expect(prompt, 'the prompt is refused').toBeDefined();
      saysDamaged(prompt!.data?.code, prompt!.message);
    } finally {
      await s.close();
    }
    expect(readFileSync(dbFile).equals(before)).toBe(true);
  });
});
