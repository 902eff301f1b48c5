// Snapshot files under a hostile .flow/: names in flow.db and payloads that flowmcp never writes are
// never followed to a path, and gzip that inflates past its bound is refused, not read into memory.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBlob, readPayload, snapshotsDir } from '../../src/store/snapshot-files.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

describe('snapshot files from an untrusted .flow/', () => {
  it('prune never deletes a file a catalog row points at outside .flow/snapshots/', () => {
    t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Victim' });
    const old = c.ok('snapshot', { action: 'create', label: 'old' }).snapshot.id as string;
    c.ok('snapshot', { action: 'create', label: 'new' });
    const victim = join(t.dir, 'precious.txt');
    writeFileSync(victim, 'keep me');
    // What a cloned repository's flow.db could say: an old snapshot whose payload is "../../precious.txt".
    t.ws.db.prepare("UPDATE snapshots SET file = '../../precious.txt', created_at = '2000-01-01T00:00:00.000Z', pinned = 0 WHERE id = ?").run(old);
    writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ snapshots: { keep_last: 1, keep_days: 0 } }));
    c.ok('snapshot', { action: 'prune', confirm: true });
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('refuses payload names and blob hashes that would leave the snapshots folder', () => {
    t = workspace();
    writeFileSync(join(t.dir, 'secret.json.gz'), gzipSync('{"format":"flowmcp-snapshot","version":1}'));
    expect(() => readPayload(t!.ws.flowDir, '../../secret.json.gz')).toThrow(/not one flowmcp writes/);
    expect(() => readBlob(t!.ws.flowDir, '../../../secret.json')).toThrow(/not a content hash/);
  });

  it('a payload naming blobs outside the blob folder is refused as a whole', () => {
    t = workspace();
    mkdirSync(snapshotsDir(t.ws.flowDir), { recursive: true });
    const name = 's-evil.full.json.gz';
    const header = { format: 'flowmcp-snapshot', version: 1, id: 's-evil', scope: 'workspace', flow_id: null, kind: 'full', base_id: null, depth: 0, created_at: '2026-01-01T00:00:00.000Z', state: {} };
    writeFileSync(join(snapshotsDir(t.ws.flowDir), name), gzipSync(JSON.stringify({ ...header, blobs: ['../../../etc/passwd'] })));
    expect(() => readPayload(t!.ws.flowDir, name)).toThrow(/not content hashes/);
  });

  it('a payload whose header flowmcp never writes (a scope, kind, id or flow it cannot have) is refused as damaged', () => {
    t = workspace();
    mkdirSync(snapshotsDir(t.ws.flowDir), { recursive: true });
    const good = { format: 'flowmcp-snapshot', version: 1, id: 's-ok', scope: 'flow', flow_id: 'f-1', kind: 'full', base_id: null, depth: 0, created_at: '2026-01-01T00:00:00.000Z', blobs: [], state: {} };
    const put = (fields: Record<string, unknown>) => {
      writeFileSync(join(snapshotsDir(t!.ws.flowDir), 's-ok.full.json.gz'), gzipSync(JSON.stringify({ ...good, ...fields })));
      return () => readPayload(t!.ws.flowDir, 's-ok.full.json.gz');
    };
    expect(put({})()).toMatchObject({ id: 's-ok', scope: 'flow' });
    for (const bad of [{ scope: 'galaxy' }, { kind: 'sideways' }, { id: '../s-1' }, { flow_id: null }, { scope: 'workspace' }, { created_at: 5 }, { depth: 'deep' }, { base_id: 7 }]) {
      expect(put(bad), JSON.stringify(bad)).toThrow(/has a header flowmcp does not write/);
    }
  });

  it('a gzip bomb posing as a document blob is refused without inflating it whole', () => {
    t = workspace();
    const hash = 'a'.repeat(64);
    mkdirSync(join(snapshotsDir(t.ws.flowDir), 'blobs'), { recursive: true });
    // ~65 KB on disk, 65 MB inflated: past the blob bound.
    writeFileSync(join(snapshotsDir(t.ws.flowDir), 'blobs', `${hash}.gz`), gzipSync(Buffer.alloc(65 * 1024 * 1024)));
    expect(() => readBlob(t!.ws.flowDir, hash)).toThrow(/inflates to more than/);
    expect(existsSync(join(snapshotsDir(t.ws.flowDir), 'blobs', `${hash}.gz`))).toBe(true);
  });
});
