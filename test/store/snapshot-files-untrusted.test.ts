// Snapshot payloads and blobs under .flow/snapshots/ may come from a cloned repository or be damaged:
// reading one that is missing, not gzip, not JSON, or a FIFO gives one clear refusal (never "Internal
// error", never a hang), and a damaged blob planted under the hash of a text the user will snapshot is
// not reused, so that snapshot still restores.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { caller } from '../helpers/call.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDirPerTest } from '../helpers/workspace.js';

beforeAll(() => assertBuilt());
const project = tempDirPerTest();
const open: Workspace[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

function session(dir: string) {
  const ws = Workspace.open(dir);
  open.push(ws);
  return caller({ ws, session: ws.session('test-agent') });
}

describe('damaged snapshot payloads', () => {
  const damage: [string, (file: string) => void][] = [
    ['not gzip', (f) => writeFileSync(f, 'hello')],
    ['gzip of text that is not JSON', (f) => writeFileSync(f, gzipSync('{not json'))],
    ['JSON that is not a payload', (f) => writeFileSync(f, gzipSync('[[[]]]'))],
    ['a payload header without its state', (f) => writeFileSync(f, gzipSync(JSON.stringify({ format: 'flowmcp-snapshot', version: 1, kind: 'full', blobs: [] })))],
    ['missing', (f) => rmSync(f)],
    ['a FIFO', (f) => (rmSync(f), expect(spawnSync('mkfifo', [f]).status).toBe(0))],
  ];
  it.each(damage)('%s: show and restore refuse with a clear damaged error and change nothing', (_name, spoil) => {
    const dir = project();
    const a = session(dir);
    a.ok('flow', { action: 'create', name: 'Auth' });
    const snap = a.ok('snapshot', { action: 'create', label: 'before' });
    const id = snap.snapshot?.id ?? snap.id;
    const payload = readdirSync(join(dir, '.flow', 'snapshots')).find((f) => f.startsWith(`${id}.`))!;
    spoil(join(dir, '.flow', 'snapshots', payload));
    // Another process, as the user would meet it: nothing is cached from the create.
    for (const args of [['show', id], ['restore', id, '--confirm']]) {
      const r = spawnSync(process.execPath, [CLI, 'snapshot', ...args, '--dir', dir, '--json'], { encoding: 'utf8', timeout: 15_000 });
      expect(r.signal, 'the CLI hung').toBeNull();
      expect(r.status, r.stdout).toBe(1);
      const e = JSON.parse(r.stdout || r.stderr).error;
      expect(e.code).toBe('damaged');
      expect(e.message).not.toMatch(/Internal error|hit a bug/);
      expect(e.message).toMatch(/Snapshot payload \.flow\/snapshots\/s-[0-9a-z]+\.full\.json\.gz (is|has|inflates|could)/);
      expect(e.hint).toMatch(/flowmcp recover/);
    }
    expect(session(dir).ok('flow', { action: 'list' }).flows.map((f: { name: string }) => f.name)).toEqual(['Auth']);
  });
});

describe('a damaged blob planted under the hash of a known text', () => {
  it('is written again when the text is snapshotted, so the snapshot restores the text', () => {
    const dir = project();
    const text = '# Shipped with the repository\n\nA note the user will keep.\n';
    const hash = createHash('sha256').update(text, 'utf8').digest('hex');
    mkdirSync(join(dir, '.flow', 'snapshots', 'blobs'), { recursive: true });
    writeFileSync(join(dir, '.flow', 'snapshots', 'blobs', `${hash}.gz`), gzipSync('something else'));
    const a = session(dir);
    a.ok('flow', { action: 'create', name: 'Auth' });
    a.ok('document', { action: 'write', path: 'notes/kept.md', content: text });
    const snap = a.ok('snapshot', { action: 'create', label: 'kept' });
    const id = snap.snapshot?.id ?? snap.id;
    a.ok('document', { action: 'write', path: 'notes/kept.md', content: '# overwritten\n' });
    const b = session(dir);
    b.ok('snapshot', { action: 'restore', id, confirm: true });
    expect(readFileSync(join(dir, '.flow', 'documents', 'notes', 'kept.md'), 'utf8')).toBe(text);
  });
});

describe('a snapshot catalog in flow.db that flowmcp did not write', () => {
  it('a base_id cycle is refused at once (it looped forever, stalling every caller)', () => {
    const dir = project();
    const a = session(dir);
    a.ok('flow', { action: 'create', name: 'Auth' });
    const first = a.ok('snapshot', { action: 'create', label: 'one' });
    a.ok('flow', { action: 'create', name: 'Billing' });
    const second = a.ok('snapshot', { action: 'create', label: 'two' });
    const [one, two] = [first.snapshot?.id ?? first.id, second.snapshot?.id ?? second.id];
    for (const w of open.splice(0)) w.close();
    const db = new Database(join(dir, '.flow', 'flow.db'));
    db.prepare(`UPDATE snapshots SET kind = 'patch', base_id = ? WHERE id = ?`).run(two, one);
    db.prepare(`UPDATE snapshots SET kind = 'patch', base_id = ? WHERE id = ?`).run(one, two);
    db.close();
    for (const args of [['show', two], ['diff', one, two], ['restore', two, '--confirm']]) {
      const r = spawnSync(process.execPath, [CLI, 'snapshot', ...args, '--dir', dir], { encoding: 'utf8', timeout: 15_000 });
      expect(r.signal, `snapshot ${args[0]} hung`).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/loops back on itself/);
      expect(r.stderr).not.toMatch(/Internal error/);
    }
  });
});
