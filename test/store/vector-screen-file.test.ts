// The vector screen's file: a process that reads it answers exactly as one that loaded the screen from
// the database, and picks up vectors added after it was written; a file that does not belong to this
// database and embedder, claims more than the database has, is cut short or altered, or is a link or a
// FIFO planted in its place, is ignored (never followed, never waited on) and the database is read.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceVectorProgress, putEmbedding, replaceChunks, vectorProgress } from '../../src/store/chunks.js';
import { writeTx } from '../../src/store/db.js';
import { lastChunkId } from '../../src/store/fts-tokens.js';
import { signBitScan } from '../../src/search/candidates.js';
import { VectorIndex, preloadVectorIndex, saveVectorScreen, vectorIndexFor, warmVectorIndex } from '../../src/search/vector-index.js';
import { hashText } from '../../src/search/prepare.js';
import { readScreenFile, screenFile, writeScreenFile } from '../../src/store/vector-screen-file.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

/** Work done in turns, run straight through. */
const now = () => Promise.resolve();

const EMB = 'test:64';
const DIM = 64;
let t: TempWorkspace;
let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const vec = () => {
  const v = Float32Array.from({ length: DIM }, rand);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
let next = 0;

function addChunks(n: number): void {
  writeTx(t.ws.db, () => {
    let last = 0;
    for (let k = 0; k < n; k++, next++) {
      const body = `chunk ${next}`;
      const hash = hashText(body);
      replaceChunks(t.ws.db, 'document', `d-x${next}`, [{ heading: '', body, hash, ftsHeading: '', ftsBody: body }]);
      putEmbedding(t.ws.db, hash, EMB, vec());
      last = (t.ws.db.prepare('SELECT id FROM chunks WHERE hash = ?').get(hash) as { id: number }).id;
    }
    advanceVectorProgress(t.ws.db, EMB, last);
  });
}

const fromDb = () => {
  const ix = new VectorIndex(EMB, DIM);
  ix.refresh(t.ws.db);
  return ix;
};
const read = () => readScreenFile(t.ws.db, EMB, DIM, vectorProgress(t.ws.db, EMB));
const file = () => screenFile(t.ws.db, EMB);
/** A copy of the project (database and file): another process's view, with no index kept for it yet. */
const copy = () => {
  const dir = join(t.dir, `copy-${next++}`);
  mkdirSync(join(dir, 'cache'), { recursive: true });
  t.ws.db.prepare('VACUUM INTO ?').run(join(dir, 'flow.db'));
  const db = new Database(join(dir, 'flow.db'));
  copyFileSync(file(), screenFile(db, EMB));
  return db;
};

beforeAll(() => {
  t = tempWorkspace();
  addChunks(3000);
});
afterAll(() => t.cleanup());

describe('vector screen file', () => {
  it('read back, it answers every query exactly as the screen loaded from the database, copy and all', async () => {
    const a = fromDb();
    await writeScreenFile(t.ws.db, EMB, a.state(), now);
    const saved = read();
    expect(saved?.chunks.length).toBe(3000);
    const b = new VectorIndex(EMB, DIM);
    b.adopt(saved!);
    expect(b.size).toBe(a.size);
    expect(b.holdsVectors).toBe(true);
    for (let i = 0; i < 20; i++) {
      const q = vec();
      expect(signBitScan(t.ws.db, q, EMB, {}, b)).toEqual(signBitScan(t.ws.db, q, EMB, {}, a));
    }
  });

  it('vectors added after the file was written are read from the database on top of it', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    addChunks(500);
    const b = new VectorIndex(EMB, DIM);
    b.adopt(read()!);
    expect(b.size).toBe(next - 500);
    b.refresh(t.ws.db);
    const a = fromDb();
    expect(b.size).toBe(a.size);
    for (let i = 0; i < 10; i++) {
      const q = vec();
      expect(signBitScan(t.ws.db, q, EMB, {}, b)).toEqual(signBitScan(t.ws.db, q, EMB, {}, a));
    }
  });

  it('a screen too big for the in-memory copy comes back without one', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const small = new VectorIndex(EMB, DIM, DIM * 10);
    small.adopt(read()!);
    expect(small.holdsVectors).toBe(false);
    const q = vec();
    expect(signBitScan(t.ws.db, q, EMB, {}, small).slice(0, 10).map((h) => h.id)).toEqual(signBitScan(t.ws.db, q, EMB, {}, fromDb()).slice(0, 10).map((h) => h.id));
  });

  it('is ignored when it is altered, cut short, claims chunks past the watermark, or names another embedder or dimension', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const good = readFileSync(file());
    expect(read()).toBeDefined();
    const flipped = Buffer.from(good);
    flipped.writeUInt8(flipped[good.length - 5]! ^ 0x40, good.length - 5); // one bit of one vector
    writeFileSync(file(), flipped);
    expect(read()).toBeUndefined();
    writeFileSync(file(), good.subarray(0, good.length - 1));
    expect(read()).toBeUndefined();
    writeFileSync(file(), good);
    expect(readScreenFile(t.ws.db, EMB, DIM, vectorProgress(t.ws.db, EMB) - 1)).toBeUndefined();
    expect(readScreenFile(t.ws.db, EMB, 128, vectorProgress(t.ws.db, EMB))).toBeUndefined();
    // Another embedder's file, renamed into this one's place.
    await writeScreenFile(t.ws.db, 'other:64', fromDb().state(), now);
    writeFileSync(file(), readFileSync(screenFile(t.ws.db, 'other:64')));
    expect(read()).toBeUndefined();
  });

  it('is ignored when it claims chunks past the highest id handed out, whatever watermark the database holds (a planted one let a planted screen of 20M rows be read by every search)', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const b = readFileSync(file());
    b.writeDoubleLE(lastChunkId(t.ws.db) + 1000, 24); // its upTo, past every chunk there is
    b.writeUInt32LE(crc32(b.subarray(64)), 20);
    writeFileSync(file(), b);
    expect(readScreenFile(t.ws.db, EMB, DIM, 2 ** 40)).toBeUndefined();
    // The same file with its own upTo is read under that watermark: only the claim past the ids is refused.
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    expect(readScreenFile(t.ws.db, EMB, DIM, 2 ** 40)).toBeDefined();
  });

  it("is ignored when it belongs to another database (a recovered project's ids start again)", async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const other = tempWorkspace();
    try {
      mkdirSync(dirname(screenFile(other.ws.db, EMB)), { recursive: true });
      writeFileSync(screenFile(other.ws.db, EMB), readFileSync(file()));
      expect(readScreenFile(other.ws.db, EMB, DIM, Number.MAX_SAFE_INTEGER)).toBeUndefined();
    } finally {
      other.cleanup();
    }
  });

  it('a database taken back to a state from before the file was written (a backup, a checkout of flow.db) does not read it', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const epochRow = () => t.ws.db.prepare("SELECT key, value FROM settings WHERE key LIKE 'vector_screen_epoch.%'").get() as { key: string; value: string };
    const earlier = epochRow();
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    expect(read()).toBeDefined();
    // The settings row as the older copy of the database has it: its chunk ids may since mean other text.
    t.ws.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(earlier.value, earlier.key);
    expect(read()).toBeUndefined();
    t.ws.db.prepare('DELETE FROM settings WHERE key = ?').run(earlier.key);
    expect(read()).toBeUndefined();
  });

  it('a link or a FIFO planted in its place is neither followed nor waited on', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const outside = join(t.dir, 'elsewhere.bin');
    writeFileSync(outside, readFileSync(file()));
    rmSync(file());
    symlinkSync(outside, file());
    expect(read()).toBeUndefined();
    rmSync(file());
    execFileSync('mkfifo', [file()]);
    expect(read()).toBeUndefined(); // returns at once: a blocking open of a FIFO would hang here
    rmSync(file());
    // Writing replaces whatever is there with a file of its own (a rename never writes through a link).
    symlinkSync(outside, file());
    const before = readFileSync(outside);
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    expect(readFileSync(outside)).toEqual(before);
    expect(read()).toBeDefined();
  });

  it('a process that loads a big screen from the database writes the file beside its calls, and the next process reads it', async () => {
    rmSync(file(), { force: true });
    addChunks(20_000 - next + 100); // past the size where reading the database is slow enough to keep a file
    const ix = vectorIndexFor(t.ws.db, EMB, DIM);
    expect(existsSync(file())).toBe(false); // not on the search's own time...
    expect(ix.fileDue).toBe(true);
    while (ix.fileDue) await new Promise<void>((resolve) => setImmediate(resolve));
    const saved = read(); // ...but beside the calls after it
    expect(saved?.chunks.length).toBe(ix.size);
    const b = new VectorIndex(EMB, DIM);
    b.adopt(saved!);
    const q = vec();
    expect(signBitScan(t.ws.db, q, EMB, {}, b)).toEqual(signBitScan(t.ws.db, q, EMB, {}, ix));
  }, 180_000); // ~16,000 chunks and their vectors written first: a minute and more on a loaded machine

  it('a server warming up reads the file beside its calls; a search arriving meanwhile reads it at once, and the warm-up keeps that index', async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const a = copy();
    const b = copy();
    try {
      const warming = warmVectorIndex(a, EMB, DIM);
      const during = vectorIndexFor(a, EMB, DIM);
      expect(during).toMatchObject({ size: fromDb().size, readFromDb: 0 });
      await warming;
      expect(vectorIndexFor(a, EMB, DIM)).toBe(during);
      await warmVectorIndex(b, EMB, DIM);
      const warmed = vectorIndexFor(b, EMB, DIM);
      expect(warmed).toMatchObject({ size: fromDb().size, readFromDb: 0 });
      const q = vec();
      expect(signBitScan(b, q, EMB, {}, warmed)).toEqual(signBitScan(t.ws.db, q, EMB, {}, fromDb()));
    } finally {
      a.close();
      b.close();
    }
  });

  it("a first search's read of the file (started before its text half) and a warm-up's at once make one index, from the file", async () => {
    await writeScreenFile(t.ws.db, EMB, fromDb().state(), now);
    const a = copy();
    try {
      const search = preloadVectorIndex(a, EMB, DIM);
      const warming = warmVectorIndex(a, EMB, DIM);
      await search;
      // Gone now: what the index holds came from the read the search started.
      rmSync(screenFile(a, EMB));
      const ix = vectorIndexFor(a, EMB, DIM);
      expect(ix).toMatchObject({ size: fromDb().size, readFromDb: 0 });
      await warming;
      expect(vectorIndexFor(a, EMB, DIM)).toBe(ix);
      const q = vec();
      expect(signBitScan(a, q, EMB, {}, ix)).toEqual(signBitScan(t.ws.db, q, EMB, {}, fromDb()));
    } finally {
      a.close();
    }
  });

  it('a big screen is written again once an eighth of it is new, not every 2,000 rows', async () => {
    await saveVectorScreen(t.ws.db, EMB, DIM); // the file is current: nothing read since
    const size = vectorIndexFor(t.ws.db, EMB, DIM).size;
    expect(size).toBeGreaterThan(20_000);
    addChunks(2_100); // past 2,000, short of an eighth
    expect(vectorIndexFor(t.ws.db, EMB, DIM).fileDue).toBe(false);
    addChunks(Math.ceil(size / 7) + 100 - 2_100); // r rows read of size + r: an eighth once r ≥ size / 7
    const ix = vectorIndexFor(t.ws.db, EMB, DIM);
    expect(ix.fileDue).toBe(true); // written beside the calls
    while (ix.fileDue) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(read()?.chunks.length).toBe(ix.size);
  }, 180_000); // as above: thousands of chunks written, then a 20,000-row file

  it('a one-shot command that embedded a big set writes the file before it exits (not on a timer it may not live to see)', async () => {
    rmSync(file(), { force: true });
    await saveVectorScreen(t.ws.db, EMB, DIM);
    expect(read()?.chunks.length).toBeGreaterThanOrEqual(20_000);
  });
});
