// The text index's file: a process that reads it answers exactly as FTS5 does, and picks up chunks
// added and deleted after it was written; a file that does not belong to this database state, claims
// chunks the database never handed out, is cut short or altered, disagrees with FTS5 about a chunk, or
// is a link or a FIFO planted in its place, is ignored (never followed, never waited on) and the index
// is built from the database.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentChunks } from '../../src/search/prepare.js';
import { indexedTextHalf, saveTextIndex, setAdoptSlice, setTextIndexMinRows, TEXT_INDEX_MIN_ROWS, textIndexInfo, warmTextIndex } from '../../src/search/text-index.js';
import { replaceChunks } from '../../src/store/chunks.js';
import { lastChunkId } from '../../src/store/fts-tokens.js';
import { textMatches } from '../../src/store/search-index.js';
import { readTextIndexFile, textIndexFile } from '../../src/store/text-index-file.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const WORDS = ['apache', 'proxy', 'reverse', 'server', 'config', 'module', 'rewrite', 'cache', 'log', 'error', 'read_file', '설정을'];
const defaultMin = TEXT_INDEX_MIN_ROWS;
let t: TempWorkspace;
const others: Database.Database[] = [];

function write(db: Database.Database, i: number): void {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]!;
  replaceChunks(db, 'document', `d-${i}`, documentChunks(`# ${w(0)} ${w(1)}\n\n${w(2)} ${w(3)} ${w(1)}\n\n## ${w(4)}\n\n${w(5)} ${w(6)} ${w(0)}\n`, `doc ${i}`));
}

/** Another process on the same database: its own connection, so no index is kept for it yet. */
function another(): Database.Database {
  const db = new Database(t.ws.db.name);
  others.push(db);
  return db;
}

async function expectAnswersAsFts5(db: Database.Database): Promise<void> {
  for (const q of [['apache', 'proxy'], ['read_file', 'log'], ['설정', '정을', 'cache'], ['error']]) {
    const got = indexedTextHalf(db, q, 10);
    expect(got).toBeDefined();
    const want = textMatches(db, q.map((w) => `"${w}"`).join(' OR '), {}, 10);
    expect(got).toEqual(want);
  }
}

beforeEach(async () => {
  setTextIndexMinRows(0);
  t = tempWorkspace();
  for (let i = 0; i < 40; i++) write(t.ws.db, i);
  await warmTextIndex(t.ws.db);
  expect(await saveTextIndex(t.ws.db)).toBe(true);
});
afterEach(() => {
  setTextIndexMinRows(defaultMin);
  setAdoptSlice();
  for (const db of others.splice(0)) db.close();
  t.cleanup();
});

describe('text index file', () => {
  it('is read by the next process, which answers as FTS5 does without tokenizing a chunk again', async () => {
    const db = another();
    await warmTextIndex(db);
    expect(textIndexInfo(db)).toMatchObject({ fromFile: true, readFromDb: 0, built: true });
    await expectAnswersAsFts5(db);
  });

  it('is brought up to date: chunks added and deleted after it was written', async () => {
    for (let i = 40; i < 50; i++) write(t.ws.db, i);
    t.ws.db.prepare(`DELETE FROM chunks WHERE owner_id IN ('d-3', 'd-4')`).run();
    write(t.ws.db, 5); // replaced: its old chunks gone, new ones past the file
    const db = another();
    await warmTextIndex(db);
    expect(textIndexInfo(db)).toMatchObject({ fromFile: true, built: true });
    expect(textIndexInfo(db)!.readFromDb).toBeGreaterThan(0);
    await expectAnswersAsFts5(db);
  });

  it('is read in turns beside other work (FTS5 answers meanwhile), and chunks deleted and added meanwhile are accounted for', async () => {
    setAdoptSlice(8);
    const db = another();
    const warming = warmTextIndex(db);
    let turns = 0;
    while (!textIndexInfo(db)?.built) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turns++;
      if (!textIndexInfo(db)!.built) expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined();
      if (turns === 4) {
        t.ws.db.prepare(`DELETE FROM chunks WHERE owner_id IN ('d-1', 'd-38')`).run();
        write(t.ws.db, 60);
      }
    }
    await warming;
    // 80 chunks checked 8 at a time: at least one turn for other work between two slices.
    expect(turns).toBeGreaterThanOrEqual(80 / 8);
    expect(textIndexInfo(db)).toMatchObject({ fromFile: true, built: true });
    await expectAnswersAsFts5(db);
  });

  it('is not written while another process holds the write lock (no wait for it), and is written once it is free', async () => {
    for (let i = 40; i < 50; i++) write(t.ws.db, i);
    const db = another();
    await warmTextIndex(db);
    const before = readFileSync(textIndexFile(t.ws.db));
    // A busy timeout longer than the test's own: waiting for the lock would fail the test by its timeout.
    db.pragma('busy_timeout = 120000');
    const holder = another();
    holder.prepare('BEGIN IMMEDIATE').run();
    const readSince = textIndexInfo(db)!.readFromDb;
    expect(readSince).toBeGreaterThan(0);
    try {
      await expect(saveTextIndex(db)).rejects.toMatchObject({ code: 'busy' });
      expect(readFileSync(textIndexFile(t.ws.db))).toEqual(before);
      expect(textIndexInfo(db)!.readFromDb).toBe(readSince); // still owed a file
    } finally {
      holder.prepare('ROLLBACK').run();
    }
    expect(db.pragma('busy_timeout', { simple: true })).toBe(120000);
    expect(await saveTextIndex(db)).toBe(true);
    const next = another();
    await warmTextIndex(next);
    expect(textIndexInfo(next)).toMatchObject({ fromFile: true, readFromDb: 0, built: true });
    await expectAnswersAsFts5(next);
  });

  const ignored: [string, () => void][] = [
    ['of another state of the database (its epoch changed)', () => t.ws.db.prepare(`UPDATE settings SET value = 'other' WHERE key = 'text_index_epoch'`).run()],
    ['altered (its checksum fails)', () => {
      const b = readFileSync(textIndexFile(t.ws.db));
      b[b.length - 3]! ^= 0xff;
      writeFileSync(textIndexFile(t.ws.db), b);
    }],
    ['cut short', () => writeFileSync(textIndexFile(t.ws.db), readFileSync(textIndexFile(t.ws.db)).subarray(0, 100))],
    ['claiming chunks the database never handed out', () => {
      const b = readFileSync(textIndexFile(t.ws.db));
      b.writeDoubleLE(lastChunkId(t.ws.db) + 1000, 28);
      b.writeUInt32LE(crc32(b.subarray(64)), 20);
      writeFileSync(textIndexFile(t.ws.db), b);
    }],
    ['disagreeing with FTS5 about a chunk\'s words (checksum made to match)', () => {
      const b = readFileSync(textIndexFile(t.ws.db));
      const rows = b.readUInt32LE(8);
      b.writeUInt32LE(b.readUInt32LE(64 + rows * 8) + 1, 64 + rows * 8); // the first chunk's heading count
      b.writeUInt32LE(crc32(b.subarray(64)), 20);
      writeFileSync(textIndexFile(t.ws.db), b);
    }],
    ['a link to a real index file elsewhere', () => {
      const elsewhere = join(t.dir, 'elsewhere.bin');
      writeFileSync(elsewhere, readFileSync(textIndexFile(t.ws.db)));
      rmSync(textIndexFile(t.ws.db));
      symlinkSync(elsewhere, textIndexFile(t.ws.db));
    }],
    ['declaring 200M terms (a planted header over a sparse 1 GB file of zeros: the server split them into 200M strings and V8 aborted, at every start)', () => {
      const real = readFileSync(textIndexFile(t.ws.db));
      const nTerms = 200_000_001;
      const termBytes = 200_000_000;
      const body = termBytes + (nTerms + 1) * 4; // no rows, no postings: the terms and their ranges, all zeros
      const head = Buffer.alloc(64);
      real.copy(head, 0, 0, 64); // magic, version and this database's identity
      head.writeUInt32LE(0, 8);
      head.writeUInt32LE(nTerms, 12);
      head.writeUInt32LE(termBytes, 16);
      head.writeUInt32LE(0, 24);
      head.writeDoubleLE(0, 28);
      const zeros = Buffer.alloc(1 << 20);
      let crc = 0;
      for (let left = body; left > 0; left -= zeros.length) crc = crc32(zeros.subarray(0, Math.min(left, zeros.length)), crc);
      head.writeUInt32LE(crc, 20);
      const fd = openSync(textIndexFile(t.ws.db), 'w');
      writeSync(fd, head);
      ftruncateSync(fd, 64 + body); // sparse: no disk for the zeros
      closeSync(fd);
    }],
    ['a FIFO', () => {
      rmSync(textIndexFile(t.ws.db));
      execFileSync('mkfifo', [textIndexFile(t.ws.db)]);
    }],
  ];
  for (const [what, spoil] of ignored) {
    it(`is ignored when ${what}, and the index is built from the database`, async () => {
      spoil();
      const db = another();
      await warmTextIndex(db);
      expect(textIndexInfo(db)).toMatchObject({ fromFile: false, built: true });
      expect(textIndexInfo(db)!.readFromDb).toBe(40 * 2);
      await expectAnswersAsFts5(db);
    });
  }

  it('reads back what was written', async () => {
    const s = await readTextIndexFile(t.ws.db, lastChunkId(t.ws.db), () => Promise.resolve());
    expect(s?.ids).toHaveLength(80);
    expect(s!.terms).toEqual(expect.arrayContaining(['apach', 'proxi', '설정', 'read', 'file']));
  });
});
