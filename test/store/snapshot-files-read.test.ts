// Snapshot payloads and blobs read back in this process: what is written reads back as it was, and every
// way a file under .flow/snapshots/ can be wrong gets its own exact `damaged` refusal (the words people
// act on), a stray name is never followed, and a blob on disk is reused only once it reads back right.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlowError } from '../../src/model/errors.js';
import {
  blobHash,
  blobHashes,
  payloadFiles,
  payloadName,
  putBlob,
  readBlob,
  readPayload,
  removeBlob,
  removePayload,
  snapshotsDir,
  writePayload,
  type Payload,
} from '../../src/store/snapshot-files.js';
import { caught } from '../helpers/caught.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
let dir: string | undefined;
afterEach(() => vi.restoreAllMocks());
function flowDir(): string {
  dir = scratch();
  const f = join(dir, '.flow');
  mkdirSync(join(f, 'snapshots', 'blobs'), { recursive: true });
  return f;
}
const RECOVER_HINT = 'Restore from another snapshot (snapshot list), or run flowmcp recover: it rebuilds the snapshot catalog from the payload files that still read.';
const header = (over: Partial<Payload> = {}): Payload => ({
  format: 'flowmcp-snapshot', version: 1, id: 's-abc', label: 'l', scope: 'workspace', flow_id: null, reason: 'manual', pinned: false,
  created_at: '2026-01-01T00:00:00.000Z', kind: 'full', base_id: null, depth: 0, state_hash: 'h', counts: {}, blobs: [], ...over,
});
const HASH = blobHash('some document text');
function plant(f: string, name: string, body: unknown): string {
  writeFileSync(join(snapshotsDir(f), name), gzipSync(typeof body === 'string' ? body : JSON.stringify(body)));
  return name;
}
function stderrLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
  return lines;
}

describe('payloads', () => {
  it('a payload written with its state as JSON text reads back whole, gzip at level 1', () => {
    const f = flowDir();
    const p = header({ blobs: [HASH] });
    const w = writePayload(f, p, '{"tasks":{"t1":{"title":"a"}}}');
    expect(w.file).toBe('s-abc.full.json.gz');
    const onDisk = readFileSync(join(snapshotsDir(f), w.file));
    expect(w.bytes).toBe(onDisk.length);
    const json = gunzipSync(onDisk).toString('utf8');
    expect(onDisk.equals(gzipSync(Buffer.from(json), { level: 1 }))).toBe(true);
    expect(readPayload(f, w.file)).toEqual({ ...p, state: { tasks: { t1: { title: 'a' } } } });
    const patch = writePayload(f, header({ id: 's-def', kind: 'patch', base_id: 's-abc', patch: [{ op: 'remove', path: '/x' }] }));
    expect(patch.file).toBe(payloadName('s-def', 'patch'));
    expect(readPayload(f, patch.file).patch).toEqual([{ op: 'remove', path: '/x' }]);
    expect(readPayload(f, writePayload(f, header({ id: 's-ghi', kind: 'patch' }), '[]').file).patch).toEqual([]);
  });

  it('lists only payload files, and none when there is no snapshots folder', () => {
    const f = flowDir();
    writePayload(f, header({ state: {} as never }));
    writeFileSync(join(snapshotsDir(f), 'notes.txt'), 'x');
    writeFileSync(join(snapshotsDir(f), 's-abc.full.json.gz.tmp'), 'x');
    expect(payloadFiles(f)).toEqual(['s-abc.full.json.gz']);
    expect(payloadFiles(join(dir!, 'nowhere'))).toEqual([]);
  });

  it('refuses a payload that does not read as one flowmcp wrote, each with its own reason', () => {
    const f = flowDir();
    const what = (n: string) => `Snapshot payload .flow/snapshots/${n}`;
    const refusal = (n: string, why: string, fault: string) => {
      const e = caught<FlowError>(() => readPayload(f, n));
      expect(e.code, n).toBe('damaged');
      expect(e.message, n).toBe(`${what(n)} ${why}. Nothing was changed.`);
      expect(e.hint).toBe(RECOVER_HINT);
      expect(e.details).toEqual({ fault });
    };
    refusal('s-gone.full.json.gz', 'is missing from .flow/snapshots/', 'missing');
    writeFileSync(join(snapshotsDir(f), 's-plain.full.json.gz'), 'hello, not gzip');
    refusal('s-plain.full.json.gz', 'is not gzip as flowmcp writes it (truncated or overwritten?)', 'not_gzip');
    mkdirSync(join(snapshotsDir(f), 's-folder.full.json.gz'));
    refusal('s-folder.full.json.gz', 'is not a regular file; it was not read', 'not_a_file');
    symlinkSync('s-loop.full.json.gz', join(snapshotsDir(f), 's-loop.full.json.gz'));
    refusal('s-loop.full.json.gz', 'could not be read (ELOOP)', 'unreadable');
    refusal(plant(f, 's-t1.full.json.gz', '{"format": "flowmcp-snap'), 'is not JSON as flowmcp writes it (truncated or overwritten?)', 'not_json');
    const notPayload = 'is not a flowmcp snapshot payload this version reads';
    refusal(plant(f, 's-n1.full.json.gz', 'null'), notPayload, 'not_a_payload');
    refusal(plant(f, 's-n2.full.json.gz', '5'), notPayload, 'not_a_payload');
    refusal(plant(f, 's-n3.full.json.gz', { ...header(), format: 'other' }), notPayload, 'not_a_payload');
    refusal(plant(f, 's-n4.full.json.gz', { ...header(), version: 2 }), notPayload, 'not_a_payload');
    const badBlobs = 'names document blobs that are not content hashes';
    refusal(plant(f, 's-b1.full.json.gz', { ...header(), blobs: 'x', state: {} }), badBlobs, 'untrusted_name');
    refusal(plant(f, 's-b2.full.json.gz', { ...header(), blobs: [HASH, '../../x'], state: {} }), badBlobs, 'untrusted_name');
    refusal(plant(f, 's-b3.full.json.gz', { ...header(), blobs: [[HASH]], state: {} }), badBlobs, 'untrusted_name');
    refusal(plant(f, 's-s1.full.json.gz', header()), 'has no state', 'no_state');
    refusal(plant(f, 's-s2.full.json.gz', { ...header(), state: null }), 'has no state', 'no_state');
    refusal(plant(f, 's-s3.full.json.gz', { ...header(), state: 'x' }), 'has no state', 'no_state');
    refusal(plant(f, 's-p1.patch.json.gz', { ...header({ kind: 'patch' }), state: {} }), 'has no patch', 'no_state');
    refusal(plant(f, 's-p2.patch.json.gz', { ...header({ kind: 'patch' }), patch: {} }), 'has no patch', 'no_state');
  });

  it('never reads or removes a payload name flowmcp does not write, and says so', () => {
    const f = flowDir();
    const long = `../${'x'.repeat(200)}`;
    const e = caught<FlowError>(() => readPayload(f, long));
    expect(e.code).toBe('damaged');
    expect(e.message).toBe(`A name under .flow/snapshots/ is not one flowmcp wrote: snapshot payload name ${JSON.stringify(long.slice(0, 80))} is not one flowmcp writes; it was not touched. Nothing was changed.`);
    expect(e.hint).toBe('Run `flowmcp recover` to rebuild the snapshot catalog from the payload files, or delete the stray entry.');
    expect(e.details).toEqual({ fault: 'untrusted_name' });
    writeFileSync(join(dir!, 'victim'), 'x');
    const lines = stderrLines();
    removePayload(f, '../../victim');
    expect(readFileSync(join(dir!, 'victim'), 'utf8')).toBe('x');
    expect(lines.join('')).toContain('flowmcp warn: A name under .flow/snapshots/ is not one flowmcp wrote: snapshot payload name "../../victim"');
  });

  it('removes a payload, and removing one already gone is no error', () => {
    const f = flowDir();
    const { file } = writePayload(f, header({ state: {} as never }));
    removePayload(f, file);
    expect(payloadFiles(f)).toEqual([]);
    removePayload(f, file);
  });
});

describe('blobs', () => {
  it('stores a text under its hash, reads it back, lists and removes it', () => {
    const f = flowDir();
    const h = putBlob(f, 'some document text');
    expect(h).toBe(createHash('sha256').update('some document text').digest('hex'));
    expect(readBlob(f, h)).toBe('some document text');
    writeFileSync(join(snapshotsDir(f), 'blobs', 'readme.txt'), 'x');
    writeFileSync(join(snapshotsDir(f), 'blobs', 'short.gz'), 'x');
    writeFileSync(join(snapshotsDir(f), 'blobs', `${blobHash('other')}.bz`), 'x'); // no .gz: not a blob
    expect(blobHashes(f)).toEqual([h]);
    expect(blobHashes(join(dir!, 'nowhere'))).toEqual([]);
    removeBlob(f, h);
    expect(blobHashes(f)).toEqual([]);
    removeBlob(f, h);
  });

  it('writes an unchanged text once: a blob that reads back right is reused as it is', () => {
    const f = flowDir();
    const h = putBlob(f, 'kept once');
    const file = join(snapshotsDir(f), 'blobs', `${h}.gz`);
    const ino = statSync(file).ino;
    putBlob(f, 'kept once'); // read back and found right
    expect(statSync(file).ino).toBe(ino);
    putBlob(f, 'kept once'); // known right in this process
    expect(statSync(file).ino).toBe(ino);
  });

  it('writes a blob again when another process removed it after this one found it right', () => {
    const f = flowDir();
    const h = putBlob(f, 'pruned meanwhile');
    putBlob(f, 'pruned meanwhile');
    rmSync(join(snapshotsDir(f), 'blobs', `${h}.gz`)); // another process's prune
    putBlob(f, 'pruned meanwhile');
    expect(readBlob(f, h)).toBe('pruned meanwhile');
  });

  it('a damaged blob under the hash of a text is written again from the text, and said on stderr', () => {
    const f = flowDir();
    const h = blobHash('the real text');
    writeFileSync(join(snapshotsDir(f), 'blobs', `${h}.gz`), gzipSync('planted text'));
    const e = caught<FlowError>(() => readBlob(f, h));
    expect(e.message).toBe(`Document blob .flow/snapshots/blobs/${h}.gz is damaged: its text no longer matches its hash. Nothing was changed.`);
    expect(e.details).toEqual({ fault: 'hash_mismatch' });
    const lines = stderrLines();
    expect(putBlob(f, 'the real text')).toBe(h);
    expect(lines.join('')).toBe(`flowmcp warn: Document blob .flow/snapshots/blobs/${h}.gz is damaged: its text no longer matches its hash. Nothing was changed.; it is written again from the document's text\n`);
    expect(readBlob(f, h)).toBe('the real text');
  });

  it('refuses a blob name that is no content hash, and a blob file past its bound without reading it', () => {
    const f = flowDir();
    const long = 'Z'.repeat(200);
    expect(caught<FlowError>(() => readBlob(f, long)).message).toBe(`A name under .flow/snapshots/ is not one flowmcp wrote: document blob name ${JSON.stringify(long.slice(0, 80))} is not a content hash; it was not touched. Nothing was changed.`);
    writeFileSync(join(dir!, 'victim'), 'x');
    removeBlob(f, '../../victim');
    expect(readFileSync(join(dir!, 'victim'), 'utf8')).toBe('x');
    const file = join(snapshotsDir(f), 'blobs', `${HASH}.gz`);
    writeFileSync(file, '');
    truncateSync(file, 64 * 1024 * 1024 + 1); // sparse: no disk used
    const e = caught<FlowError>(() => readBlob(f, HASH));
    expect(e.message).toBe(`Document blob .flow/snapshots/blobs/${HASH}.gz is larger than 67108864 bytes; it was not read. Nothing was changed.`);
    expect(e.details).toEqual({ fault: 'too_large' });
  });

  it('a gzip bomb posing as a blob is refused as inflating past its bound', () => {
    const f = flowDir();
    writeFileSync(join(snapshotsDir(f), 'blobs', `${HASH}.gz`), gzipSync(Buffer.alloc(64 * 1024 * 1024 + 10)));
    const e = caught<FlowError>(() => readBlob(f, HASH));
    expect(e.message).toBe(`Document blob .flow/snapshots/blobs/${HASH}.gz inflates to more than 67108864 bytes; it is not one flowmcp wrote. Nothing was changed.`);
    expect(e.details).toEqual({ fault: 'too_large' });
  });
});
