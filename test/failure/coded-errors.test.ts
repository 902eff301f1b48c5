// Faults that used to reach the last-resort catch-all in dispatch ("Internal error …" or a raw SQLite
// message) now come back as a FlowError with a code and a message that says what to do, named where
// they happen (ARCHITECTURE.md, "Rules of the house"). Each refusal changes nothing.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { forgetStates } from '../../src/core/snapshots/capture.js';
import { FlowError } from '../../src/model/errors.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { snapshotsDir } from '../../src/store/snapshot-files.js';
import { asFlowError } from '../../src/tools/dispatch.js';
import { caller } from '../helpers/call.js';
import { connect } from '../helpers/server.js';
import { dumpDb, tempDir, workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
const others: Workspace[] = [];
afterEach(() => {
  for (const w of others.splice(0)) w.close();
});

/** Never the catch-all's answer: not a bug, not the old "Internal error", not a raw SQLite message. */
function clear(err: { code: string; message: string; hint?: string }) {
  expect(err.code).not.toBe('bug');
  expect(err.message).not.toMatch(/Internal error|hit a bug|SQLITE_\w+:/);
  expect(err.hint, 'says what to do').toBeTruthy();
}

describe('faults that used to go through the catch-all come back coded', () => {
  it('a flow.db written by a newer flowmcp: schema_too_new, over MCP as well as in-process, file untouched', async () => {
    const dir = tempDir('flowmcp-newer-');
    try {
      Workspace.open(dir).close();
      const file = join(dir, '.flow', 'flow.db');
      const raw = new Database(file);
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();

      let thrown: unknown;
      try {
        Workspace.open(dir);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(FlowError);
      expect((thrown as FlowError).code).toBe('schema_too_new');
      expect((thrown as FlowError).message).toMatch(/newer flowmcp.*upgrade flowmcp/s);

      const s = await connect({ dir });
      try {
        const r = await s.call('flow', { action: 'list' });
        expect(r.isError).toBe(true);
        const err = r.structuredContent.error;
        expect(err.code).toBe('schema_too_new');
        expect(err.message).toMatch(/schema version \d+, but this flowmcp only knows up to \d+/);
        expect(err.hint).toMatch(/Upgrade flowmcp/);
        clear(err);
      } finally {
        await s.close();
      }
      const after = new Database(file, { readonly: true });
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SQLITE_BUSY after the busy timeout: busy, retry, nothing changed', () => {
    t = workspace();
    caller(t.call).ok('flow', { action: 'create', name: 'Shared' });
    const second = Workspace.open(t.dir, { busyTimeoutMs: 50 });
    others.push(second);
    const before = dumpDb(t.ws);
    t.ws.db.exec('BEGIN IMMEDIATE'); // another writer holds the write lock past the timeout
    let err;
    try {
      err = caller({ ws: second, session: second.session('late') }).fail('task', { action: 'create', title: 'Too late' });
    } finally {
      t.ws.db.exec('ROLLBACK');
    }
    expect(err.code).toBe('busy');
    expect(err.message).toMatch(/busy: another process held its write lock for more than 0\.1 s \(SQLITE_BUSY\)\. Nothing was changed\./);
    expect(err.hint).toMatch(/Retry in a moment/);
    clear(err);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a snapshot catalog row naming a file outside .flow/snapshots/: damaged, the file is not touched', () => {
    t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Victim' });
    const id = c.ok('snapshot', { action: 'create', label: 'old' }).snapshot.id as string;
    t.ws.db.prepare("UPDATE snapshots SET file = '../../precious.txt' WHERE id = ?").run(id);
    writeFileSync(join(t.dir, 'precious.txt'), 'keep me');
    forgetStates(); // as a fresh process would: nothing remembered, the payload is read again
    for (const args of [
      { action: 'diff', from: id },
      { action: 'restore', id, confirm: true },
    ]) {
      const err = c.fail('snapshot', args);
      expect(err.code, args.action).toBe('damaged');
      expect(err.message).toMatch(/not one flowmcp wrote: snapshot payload name "\.\.\/\.\.\/precious\.txt" is not one flowmcp writes/);
      expect(err.hint).toMatch(/flowmcp recover/);
      expect(err.details).toMatchObject({ fault: 'untrusted_name' });
      clear(err);
    }
    expect(readFileSync(join(t.dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('a damaged snapshot payload (garbage, truncated gzip, wrong JSON, missing): damaged, says which file', () => {
    t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Fragile' });
    c.ok('plan', { action: 'create', title: 'Work' });
    c.ok('task', { action: 'create', title: 'Keep me' });
    const id = c.ok('snapshot', { action: 'create', label: 'checkpoint' }).snapshot.id as string;
    const file = readdirSync(snapshotsDir(t.ws.flowDir)).find((f) => f.startsWith(`${id}.`))!;
    const path = join(snapshotsDir(t.ws.flowDir), file);
    const good = gzipSync(JSON.stringify({ format: 'flowmcp-snapshot', version: 1 }));
    const damages: [string, () => void, RegExp][] = [
      ['garbage', () => writeFileSync(path, 'not gzip at all'), /is not gzip as flowmcp writes it/],
      ['truncated', () => writeFileSync(path, good.subarray(0, good.length - 6)), /is not gzip as flowmcp writes it|is not gzip JSON/],
      ['not a payload', () => writeFileSync(path, gzipSync('{"hello": "world"}')), /is not a flowmcp snapshot payload this version reads/],
      ['no state', () => writeFileSync(path, gzipSync(JSON.stringify({ format: 'flowmcp-snapshot', version: 1, id, scope: 'workspace', flow_id: null, kind: 'full', base_id: null, depth: 0, created_at: '2026-01-01T00:00:00.000Z', blobs: [] }))), /has no state/],
      ['a header flowmcp never writes', () => writeFileSync(path, gzipSync(JSON.stringify({ format: 'flowmcp-snapshot', version: 1, id, scope: 'galaxy', kind: 'full', blobs: [], state: {} }))), /has a header flowmcp does not write/],
      ['missing', () => rmSync(path), /is missing from \.flow\/snapshots\//],
    ];
    const before = dumpDb(t.ws);
    for (const [name, damage, says] of damages) {
      damage();
      forgetStates(); // as a fresh process would: nothing remembered, the payload is read again
      const err = c.fail('snapshot', { action: 'diff', from: id });
      expect(err.code, name).toBe('damaged');
      expect(err.message, name).toMatch(says);
      expect(err.message, name).toContain(id);
      expect(err.hint, name).toMatch(/another snapshot|flowmcp recover/);
      clear(err);
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('anything else is answered as a bug, logged with its stack, never as advice', () => {
    const logged: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
    let f: FlowError;
    try {
      f = asFlowError(Object.assign(new Error('SQLITE_MISUSE: bad parameter or other API misuse "secret text"'), { code: 'SQLITE_MISUSE' }));
    } finally {
      process.stderr.write = write;
    }
    expect(f.code).toBe('bug');
    expect(f.message).toBe('flowmcp hit a bug: an unexpected Error (SQLITE_MISUSE). Nothing was changed; please report it.');
    expect(f.message).not.toContain('secret text'); // the log has the message, the answer does not quote it
    expect(logged.join('')).toMatch(/bug: Error: SQLITE_MISUSE.*\n\s+at /s);
  });
});
