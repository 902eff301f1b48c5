// The vector screen file read back in this process, shape by shape: a screen of any size (none, with or
// without the int8 copy) reads back as written, and a file whose header or chunk ids say anything flowmcp
// would not have written is ignored (the database is read instead), even where its checksum fits.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readScreenFile, readScreenFileInTurns, screenFile, writeScreenFile, type ScreenState } from '../../src/store/vector-screen-file.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

/** Work done in turns, run straight through. */
const now = () => Promise.resolve();

const EMB = 'test:64';
const DIM = 64;
const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
const db = () => t!.ws.db;
/**
 * A workspace whose chunk ids have been handed out up to 1000 (the screens below name chunks by id
 * only): a file may claim no chunk past the highest id handed out, whatever watermark it is read under.
 */
function workspaceWithChunkIds(): TempWorkspace {
  const w = workspace();
  w.ws.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('chunks', 1000)").run();
  return w;
}

function state(chunks: number[], upTo = chunks.length ? Math.max(...chunks) : 0, withCopy = false): ScreenState {
  const rows = chunks.length;
  return {
    dim: DIM,
    upTo,
    chunks: Int32Array.from(chunks),
    embeddings: Int32Array.from(chunks, (c) => c * 10),
    bits: Uint8Array.from({ length: rows * 8 }, (_, i) => i * 7),
    ...(withCopy ? { copy: Int8Array.from({ length: rows * DIM }, (_, i) => (i % 200) - 100), scales: Float32Array.from(chunks, (c) => c / 4) } : {}),
  };
}
const read = (maxUpTo = 1000) => readScreenFile(db(), EMB, DIM, maxUpTo);

describe('vector screen file shapes', () => {
  it('lives under cache/ beside flow.db, named by a short hash of the embedder', async () => {
    t = workspaceWithChunkIds();
    const tag = createHash('sha256').update(EMB).digest('hex').slice(0, 16);
    expect(screenFile(db(), EMB)).toBe(join(dirname(db().name), 'cache', `vector-screen-${tag}.bin`));
  });

  it('reads back a screen as written: with its int8 copy, without one, and with no rows at all', async () => {
    t = workspaceWithChunkIds();
    const full = state([1, 5, 9], 12, true);
    await writeScreenFile(db(), EMB, full, now);
    expect(read()).toEqual({ ...full });
    const bare = state([2, 3], 3);
    await writeScreenFile(db(), EMB, bare, now);
    expect(read()).toEqual({ ...bare, copy: undefined, scales: undefined });
    // a copy without its scales is no copy: written without one
    await writeScreenFile(db(), EMB, { ...bare, copy: new Int8Array(2 * DIM) }, now);
    expect(read()).toEqual({ ...bare, copy: undefined, scales: undefined });
    await writeScreenFile(db(), EMB, { ...bare, scales: new Float32Array(2) }, now);
    expect(read()).toEqual({ ...bare, copy: undefined, scales: undefined });
    const none = state([], 0);
    await writeScreenFile(db(), EMB, none, now);
    expect(readFileSync(screenFile(db(), EMB)).length).toBe(64);
    expect(read()).toEqual({ ...none, copy: undefined, scales: undefined });
  });

  it('is ignored when its chunk ids are not distinct, rising, above 0 and within its watermark', async () => {
    t = workspaceWithChunkIds();
    for (const [chunks, upTo] of [[[2, 1], 5], [[1, 1], 5], [[0, 1], 5], [[1, 7], 5], [[1, 2, 3], 2]] as [number[], number][]) {
      await writeScreenFile(db(), EMB, state(chunks, upTo), now);
      expect(read(), JSON.stringify(chunks)).toBeUndefined();
    }
    await writeScreenFile(db(), EMB, state([1, 2], 1.5), now);
    expect(read()).toBeUndefined();
    await writeScreenFile(db(), EMB, state([1, 2], 2), now);
    expect(read(1)).toBeUndefined(); // further than the embedder's watermark
    expect(read(2)).toBeDefined();
  });

  it('is ignored when a header field is altered, even with a checksum that fits the body', async () => {
    t = workspaceWithChunkIds();
    await writeScreenFile(db(), EMB, state([1, 2, 3], 3, true), now);
    const good = readFileSync(screenFile(db(), EMB));
    const put = (b: Buffer) => writeFileSync(screenFile(db(), EMB), b);
    const altered = (at: number, v: number) => {
      const b = Buffer.from(good);
      b.writeUInt32LE(v, at);
      return b;
    };
    put(altered(0, 0x12345678)); // magic
    expect(read()).toBeUndefined();
    put(altered(4, 2)); // version
    expect(read()).toBeUndefined();
    put(altered(16, 0)); // says no copy
    expect(read()).toBeUndefined();
    put(altered(20, good.readUInt32LE(20) ^ 1)); // checksum
    expect(read()).toBeUndefined();
    const otherId = Buffer.from(good);
    otherId[40] = otherId[40]! ^ 1;
    put(otherId);
    expect(read()).toBeUndefined();
    // bytes past the rows, with the checksum made to fit them: still not what was written
    const longer = Buffer.concat([good, Buffer.alloc(4)]);
    longer.writeUInt32LE(crc32(longer.subarray(64)), 20);
    put(longer);
    expect(read()).toBeUndefined();
    const negative = Buffer.from(good);
    negative.writeDoubleLE(-1, 24);
    put(negative);
    expect(read()).toBeUndefined();
    put(good);
    expect(read()).toBeDefined();
  });

  it('an empty screen at watermark 0 reads back; nothing is read before any file was written', async () => {
    t = workspaceWithChunkIds();
    expect(read()).toBeUndefined();
    await writeScreenFile(db(), EMB, state([], 0), now);
    expect(read(0)).toMatchObject({ upTo: 0, chunks: new Int32Array(0) });
  });

  it('a folder, a short file or a missing file in its place is ignored, not an error, and no file is left open', async () => {
    t = workspaceWithChunkIds();
    await writeScreenFile(db(), EMB, state([1], 1), now);
    const f = screenFile(db(), EMB);
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 10; i++) expect(read()).toBeDefined();
    writeFileSync(f, Buffer.alloc(10));
    expect(read()).toBeUndefined();
    rmSync(f);
    expect(read()).toBeUndefined();
    mkdirSync(f);
    expect(read()).toBeUndefined();
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });
});

describe('vector screen file of an odd dimension', () => {
  it('reads back its scales, whose offset is not 4-byte aligned, both at once and in turns', async () => {
    t = workspaceWithChunkIds();
    const dim = 5;
    const s: ScreenState = {
      dim,
      upTo: 12,
      chunks: Int32Array.from([1, 5, 9]),
      embeddings: Int32Array.from([10, 50, 90]),
      bits: Uint8Array.from({ length: 3 * 4 }, (_, i) => i),
      copy: Int8Array.from({ length: 3 * dim }, (_, i) => i - 7),
      scales: Float32Array.from([0.25, 0.5, 0.75]),
    };
    await writeScreenFile(db(), 'test:5', s, now);
    expect(readScreenFile(db(), 'test:5', dim, 12)).toEqual(s);
    expect(await readScreenFileInTurns(db(), 'test:5', dim, 12, now)).toEqual(s);
  });
});
