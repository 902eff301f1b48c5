// The text half's kept index (search/text-index.ts) against FTS5 itself on a real database: after any
// run of chunk writes and deletes, through this connection or another one, it answers the same chunks
// with the same bm25 scores as chunks_fts, or does not answer at all (and FTS5 does).
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ftsMatch, ftsTerms } from '../../src/search/fts-text.js';
import { documentChunks } from '../../src/search/prepare.js';
import { indexedTextHalf, saveTextIndex, setMergeAfter, setTextIndexMinRows, setWaitForIndexFrom, TEXT_INDEX_MIN_ROWS, textIndexInfo, warmTextIndex } from '../../src/search/text-index.js';
import { search } from '../../src/core/docs/search.js';
import { markLongRunning } from '../../src/core/kernel/long-running.js';
import { textHalf } from '../../src/search/candidates.js';
import { replaceChunks } from '../../src/store/chunks.js';
import { textMatches, type ScoredChunk } from '../../src/store/search-index.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

// Stems, case, diacritics, Korean (indexed as grams), digits, words of two and three tokens (phrases, which
// FTS5 finds for the index), a word FTS5 makes no token of.
const VOCAB = ['run', 'running', 'Runs', 'runner', 'connect', 'connection', 'CONNECTED', 'café', 'Cafe', 'naïve', 'École', 'ecole',
  '데이터베이스', '설정을', '설정', 'port', '8080', 'x1', 'apache', 'proxy', 'reverse', 'config', 'read_file', 'the', 'server', 'zebra', 'read_file_now', 'file_read', '__'];

const defaultMin = TEXT_INDEX_MIN_ROWS;
let t: TempWorkspace;
beforeEach(() => {
  setTextIndexMinRows(0);
  t = tempWorkspace();
});
afterEach(() => {
  setTextIndexMinRows(defaultMin);
  setWaitForIndexFrom();
  setMergeAfter(65_536);
  t.cleanup();
});

/** The same chunks in the same order with the very same scores: ties fall as FTS5's do (by id). */
function expectSameRanking(got: ScoredChunk[], want: ScoredChunk[]): void {
  expect(got).toEqual(want);
}

function doc(words: number[]): string {
  const w = (i: number) => VOCAB[i % VOCAB.length]!;
  const parts = words.map(w);
  const half = Math.ceil(parts.length / 2);
  return `# ${parts.slice(0, 2).join(' ')}\n\n${parts.slice(0, half).join(' ')}\n\n## ${w(words.length)} ${parts.at(-1) ?? ''}\n\n${parts.slice(half).join(' ')}\n`;
}

function write(db: Database.Database, owner: string, words: number[]): void {
  replaceChunks(db, 'document', owner, documentChunks(doc(words), owner));
}

const query = fc.array(fc.nat({ max: VOCAB.length + 2 }), { minLength: 1, maxLength: 5 }).map((ix) => ix.map((i) => VOCAB[i] ?? `absent${i}`).join(' '));

/** Runs of chunk writes and deletes (through this connection or another) and searches between them. */
const changes = (maxLength: number) =>
  fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('write' as const), owner: fc.nat({ max: 40 }), words: fc.array(fc.nat({ max: 60 }), { maxLength: 12 }), other: fc.boolean() }),
      fc.record({ op: fc.constant('delete' as const), owner: fc.nat({ max: 40 }), other: fc.boolean() }),
      fc.record({ op: fc.constant('search' as const), q: query, plan: fc.nat({ max: 5 }) }),
    ),
    { maxLength },
  );

function check(db: Database.Database, q: string): void {
  const words = ftsTerms(q);
  const match = ftsMatch(words);
  if (!match) return;
  const want = textMatches(db, match, {}, 20);
  const got = indexedTextHalf(db, words, 20);
  expect(got).toBeDefined();
  expectSameRanking(got!, want);
  expectSameRanking(textHalf(db, words, {}), textMatches(db, match, {}, 200));
}

describe('the kept text index', () => {
  // Merging after a few postings puts small sets through merges that keep deleted chunks' postings (not
  // counted) and through the compaction that folds them out.
  for (const mergeAfter of [65_536, 4]) it(`answers what FTS5 answers after any run of writes and deletes, through this connection or another (merging after ${mergeAfter} postings)`, async () => {
    setMergeAfter(mergeAfter);
    const db = t.ws.db;
    const other = new Database(db.name);
    try {
      for (let i = 0; i < 30; i++) write(db, `d-seed${i}`, [i, i * 7, i * 3, i + 11, i * 5]);
      await warmTextIndex(db);
      await fc.assert(
        fc.asyncProperty(
          changes(25),
          async (ops) => {
            for (const o of ops) {
              if (o.op === 'write') write(o.other ? other : db, `d-${o.owner}`, o.words);
              else if (o.op === 'delete') (o.other ? other : db).prepare('DELETE FROM chunks WHERE owner_id = ?').run(`d-${o.owner}`);
              else check(db, o.q);
            }
            for (const q of ['running connection', 'café école', '설정 데이터베이스', 'apache proxy 8080', 'zebra x1', 'read_file server', 'file_read read_file_now __ run']) check(db, q);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      other.close();
    }
  });

  it('answers a filtered search (by kind, by plan) as FTS5 does, with the filter applied before the cut, after writes and deletes and from its file', async () => {
    setMergeAfter(4);
    const KINDS = ['document', 'task', 'plan', 'context'] as const;
    const db = t.ws.db;
    const other = new Database(db.name);
    // Owners p-0 … p-5 are plans (a plan filter allows the plan's own chunks); kinds vary by owner.
    const writeAs = (conn: Database.Database, owner: number, words: number[]) =>
      replaceChunks(conn, KINDS[owner % 4]!, `p-${owner % 6}-${owner}`, documentChunks(doc(words), `p-${owner}`));
    const filters = (plan: number) => [{ kind: 'task' }, { kind: 'document' }, { kind: 'context' }, { planId: `p-${plan}-${plan}` }, { kind: 'plan', planId: `p-${plan}-${plan}` }];
    const checkFiltered = (q: string, plan: number) => {
      const words = ftsTerms(q);
      const match = ftsMatch(words);
      if (!match) return;
      for (const f of filters(plan)) {
        const got = indexedTextHalf(db, words, 8, f);
        expect(got, JSON.stringify(f)).toBeDefined();
        expectSameRanking(got!, textMatches(db, match, f, 8));
        expectSameRanking(textHalf(db, words, f), textMatches(db, match, f, 200));
      }
    };
    try {
      for (let i = 0; i < 40; i++) writeAs(db, i, [i, i * 7, i * 3, i + 11, 19]);
      await warmTextIndex(db);
      await fc.assert(
        fc.asyncProperty(
          changes(20),
          async (ops) => {
            for (const o of ops) {
              if (o.op === 'write') writeAs(o.other ? other : db, o.owner, o.words);
              else if (o.op === 'delete') (o.other ? other : db).prepare('DELETE FROM chunks WHERE owner_id = ?').run(`p-${o.owner % 6}-${o.owner}`);
              else checkFiltered(o.q, o.plan);
            }
            for (const q of ['running connection', 'apache proxy 8080', 'server the']) checkFiltered(q, 3);
          },
        ),
        { numRuns: 30 },
      );
      // A later process reads the index from its file, the kinds from the database.
      expect(await saveTextIndex(db)).toBe(true);
      const next = new Database(db.name);
      try {
        await warmTextIndex(next);
        expect(textIndexInfo(next)?.fromFile).toBe(true);
        for (const q of ['running connection', 'apache proxy 8080']) {
          const words = ftsTerms(q);
          for (const f of filters(3)) expectSameRanking(indexedTextHalf(next, words, 8, f)!, textMatches(next, ftsMatch(words)!, f, 8));
        }
      } finally {
        next.close();
      }
    } finally {
      other.close();
    }
  });

  it('a search asked while the index of a big set is being built waits for it (FTS5 would hold every caller); of a smaller set, FTS5 answers at once', async () => {
    const db = t.ws.db;
    const call = { ws: t.ws, session: t.ws.session('test') };
    for (let i = 0; i < 60; i++) write(db, `d-${i}`, [i, i * 7, i * 3, i + 11, 19]);
    const want = textMatches(db, ftsMatch(ftsTerms('apache proxy'))!, {}, 200).slice(0, 3).map((h) => h.id);
    const ask = async () => (await search(call, { query: 'apache proxy', k: 3 }, undefined)).results.map((r) => r.id);
    const owners = (ids: number[]) => ids.map((id) => db.prepare('SELECT owner_id FROM chunks WHERE id = ?').pluck().get(id));
    // Not big enough to wait for (the size from which it waits is above this set's): FTS5 answers, the build goes on.
    setWaitForIndexFrom(1_000_000);
    const first = warmTextIndex(db);
    expect(await ask()).toEqual([...new Set(owners(want))]);
    expect(textIndexInfo(db)?.built).toBe(false);
    await first;
    // Big enough: a search during a new build answers from the index once it is ready.
    setWaitForIndexFrom(0);
    for (let i = 60; i < 700; i++) write(db, `d-${i}`, [i, 20, 21]); // past what a query catches up on itself
    expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined(); // it starts a new build
    expect(textIndexInfo(db)?.built).toBe(false);
    const told: [number, number, string | undefined][] = [];
    await search({ ...call, progress: (d, total, m) => void told.push([d, total, m]) }, { query: 'apache proxy', k: 3 }, undefined);
    expect(textIndexInfo(db)?.built).toBe(true);
    // The caller heard what it waited for, each time further on (MCP progress must rise).
    expect(told.length).toBeGreaterThan(0);
    expect(told.every(([d, total, m], i) => m === 'building the search index' && d <= total && (i === 0 || d > told[i - 1]![0]))).toBe(true);
  });

  it('a search in a server before its warm-up began starts the build of a big set and waits for it; a one-shot command never builds it', async () => {
    setWaitForIndexFrom(0);
    const db = t.ws.db;
    for (let i = 0; i < 60; i++) write(db, `d-${i}`, [i, i * 7, i * 3, i + 11, 19]);
    const call = { ws: t.ws, session: t.ws.session('test') };
    await search(call, { query: 'apache proxy', k: 3 }, undefined);
    expect(textIndexInfo(db)).toBeUndefined(); // a one-shot command: FTS5 answered
    markLongRunning(t.ws);
    await search(call, { query: 'apache proxy', k: 3 }, undefined);
    expect(textIndexInfo(db)?.built).toBe(true);
  });

  it('built over many turns while another connection writes and deletes chunks, merging as it grows, it answers as FTS5 does', async () => {
    setMergeAfter(4); // a merge nearly every turn, each into the arrays prepared in the turns before
    const db = t.ws.db;
    const other = new Database(db.name);
    try {
      for (let i = 0; i < 150; i++) write(db, `d-${i}`, [i, i * 3, i + 7, i * 11, i * 5]);
      const warming = warmTextIndex(db);
      for (let turn = 0; !textIndexInfo(db)?.built; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (turn % 2 === 0) other.prepare('DELETE FROM chunks WHERE owner_id = ?').run(`d-${turn * 3}`);
        if (turn % 3 === 0) write(other, `d-new${turn}`, [turn, turn + 4, turn * 2]);
      }
      await warming;
      for (const q of ['running connection', 'café école', '설정 데이터베이스', 'apache proxy 8080', 'zebra x1', 'read_file server', 'the port', 'runner config reverse']) check(db, q);
    } finally {
      other.close();
    }
  });

  it('built over many turns from chunks of many distinct words, a slice holding more postings than the arrays prepared for the next merge, it answers as FTS5 does', async () => {
    // Small chunks first, then long documents (~260 distinct words a chunk): a turn's 30 chunks then bring
    // more postings than the arrays prepared for the next merge hold, and that merge takes arrays of its own.
    setMergeAfter(4);
    const db = t.ws.db;
    const other = new Database(db.name);
    const words = (n: number, from: number) => Array.from({ length: n }, (_, j) => `w${(from + j * 7) % 1500}q`).join(' ');
    const put = (conn: Database.Database, owner: string, n: number, from: number) =>
      replaceChunks(conn, 'document', owner, documentChunks(`# ${words(2, from)}\n\n${words(n, from)}\n`, owner));
    try {
      for (let i = 0; i < 120; i++) put(db, `m-${i}`, 3 + (i % 7), i * 13);
      for (let i = 120; i < 160; i++) put(db, `m-${i}`, 1500, i * 13);
      const warming = warmTextIndex(db);
      let settled = false;
      void warming.then(() => (settled = true), () => (settled = true)); // a failed build ends the loop; await says why
      for (let turn = 0; !settled && !textIndexInfo(db)?.built; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (turn % 2 === 0) other.prepare('DELETE FROM chunks WHERE owner_id = ?').run(`m-${turn * 5}`);
        if (turn % 3 === 0) put(other, `m-new${turn}`, turn % 2 ? 1200 : 4, turn * 31);
      }
      await warming;
      for (const q of ['w0q', 'w7q w14q', 'w1499q w3q', 'w700q w701q w702q', 'w13q', 'w26q w39q w52q w65q']) check(db, q);
    } finally {
      other.close();
    }
  });

  it('does not answer while out of step with chunks_fts, and answers again once back in step', async () => {
    const db = t.ws.db;
    for (let i = 0; i < 20; i++) write(db, `d-${i}`, [i, i + 1, i + 2]);
    await warmTextIndex(db);
    expect(indexedTextHalf(db, ['apache'], 10)).toBeDefined();
    // A full-text row no chunk has (a damaged or planted database): the totals differ.
    db.prepare(`INSERT INTO chunks_fts (rowid, heading, body) VALUES (900000, 'apache', 'apache apache')`).run();
    expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined();
    // FTS5 still answers, the stray row among them.
    expect(textHalf(db, ['apache'], {}).map((h) => h.id)).toContain(900000);
    db.prepare(`DELETE FROM chunks_fts WHERE rowid = 900000`).run();
    const back = indexedTextHalf(db, ['apache'], 10);
    expect(back).toBeDefined();
    expectSameRanking(back!, textMatches(db, '"apache"', {}, 10));
  });

  it('does not answer inside a transaction (what it read there may roll back)', async () => {
    const db = t.ws.db;
    for (let i = 0; i < 5; i++) write(db, `d-${i}`, [i, i + 1]);
    await warmTextIndex(db);
    expect(() =>
      db.transaction(() => {
        write(db, 'd-new', [18, 18, 18]);
        expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined();
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    const after = indexedTextHalf(db, ['apache'], 10);
    expect(after).toBeDefined();
    expectSameRanking(after!, textMatches(db, '"apache"', {}, 10));
  });

  it('leaves a big batch of new chunks to FTS5 and a background read, then answers again', async () => {
    const db = t.ws.db;
    write(db, 'd-0', [18, 19]);
    await warmTextIndex(db);
    db.transaction(() => {
      for (let i = 1; i <= 300; i++) write(db, `d-${i}`, [18, i, i + 1, 20]); // ~600 chunks: more than a query reads itself
    })();
    expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined();
    expect(textHalf(db, ['apache'], {})).toHaveLength(200); // FTS5 answered meanwhile
    await warmTextIndex(db);
    const got = indexedTextHalf(db, ['apache', 'proxy'], 10);
    expect(got).toBeDefined();
    expectSameRanking(got!, textMatches(db, '"apache" OR "proxy"', {}, 10));
  });

  it('is not kept for a small set', async () => {
    setTextIndexMinRows(1000);
    write(t.ws.db, 'd-0', [18, 19]);
    await warmTextIndex(t.ws.db);
    expect(indexedTextHalf(t.ws.db, ['apache'], 10)).toBeUndefined();
  });

  it('a chunk holding a word more often than a posting can say: neither this process nor the next (from the file) answers otherwise than FTS5', async () => {
    const db = t.ws.db;
    // A heading of 22,000 "zeta"s (a 1 MB project file may hold one): weight 3 × 22,000 > 65,535.
    replaceChunks(db, 'document', 'd-big', documentChunks(`# ${'zeta '.repeat(22_000)}\n\nzeta alpha\n`, 'big'));
    for (let i = 0; i < 20; i++) replaceChunks(db, 'document', `d-${i}`, documentChunks(`# zeta ${i}\n\nzeta alpha beta ${'zeta '.repeat(i)}\n`, `d${i}`));
    await warmTextIndex(db);
    const want = textMatches(db, '"zeta"', {}, 10);
    expect(indexedTextHalf(db, ['zeta'], 10) ?? want).toEqual(want);
    expect(await saveTextIndex(db)).toBe(false);
    const next = new Database(db.name);
    try {
      await warmTextIndex(next);
      expect(textIndexInfo(next)?.fromFile).toBe(false);
      expect(indexedTextHalf(next, ['zeta'], 10) ?? want).toEqual(want);
    } finally {
      next.close();
    }
  });

  it('catches up on a big batch even when the set is now under the size that starts an index', async () => {
    setTextIndexMinRows(1000);
    const db = t.ws.db;
    const one = (i: number) => replaceChunks(db, 'document', `d-${i}`, documentChunks(`${VOCAB[i % VOCAB.length]} apache ${i}`, `n${i}`));
    db.transaction(() => { for (let i = 0; i < 1000; i++) one(i); })();
    await warmTextIndex(db);
    expect(indexedTextHalf(db, ['apache'], 10)).toBeDefined();
    db.transaction(() => {
      db.prepare(`DELETE FROM chunks WHERE owner_id IN (SELECT owner_id FROM chunks ORDER BY id LIMIT 600)`).run();
      for (let i = 1000; i < 1501; i++) one(i); // 901 rows: under 1000, over half of it
    })();
    expect(indexedTextHalf(db, ['apache'], 10)).toBeUndefined(); // 501 new: read in the background
    await warmTextIndex(db);
    const got = indexedTextHalf(db, ['apache', 'proxy'], 10);
    expect(got).toBeDefined();
    expectSameRanking(got!, textMatches(db, '"apache" OR "proxy"', {}, 10));
  });
});
