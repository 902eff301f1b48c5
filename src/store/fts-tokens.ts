// What the full-text index holds, read the way search/text-index.ts needs it: the tokens of chunks and
// of query words as FTS5 itself makes them (a scratch FTS5 table in the connection's temp schema, with
// the same tokenizer as chunks_fts, so porter stemming and unicode61's folding are SQLite's own and never
// a second implementation that could drift); the totals bm25 takes its row count and average length
// from; and which rows chunks_fts holds, with each row's token counts, by which the text index checks
// that it holds exactly what chunks_fts holds.
import type { Db } from './db.js';
import { rawStmt, stmt } from './statements.js';

/** chunks_fts's tokenizer (migrations.ts): the scratch table must cut text the same way. */
const TOKENIZER = `porter unicode61 remove_diacritics 2`;

const ready = new WeakSet<Db>();

function scratch(db: Db): void {
  if (ready.has(db)) return;
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.flowmcp_tok USING fts5(heading, body, content='', tokenize='${TOKENIZER}');
           CREATE VIRTUAL TABLE IF NOT EXISTS temp.flowmcp_tok_v USING fts5vocab(temp, flowmcp_tok, instance);`);
  ready.add(db);
}

/** A chunk's text as it went into chunks_fts (already through ftsDocument). */
export interface FtsRow {
  id: number;
  heading: string;
  body: string;
}

/** One term of one row: how often it occurs in the heading and in the body. */
export type TermCount = [term: string, id: number, column: 'heading' | 'body', count: number];

/** Puts the rows into the scratch table, reads it with `sql`, and empties it again: nothing of it outlives the call. */
function inScratch<T>(db: Db, rows: readonly FtsRow[], sql: string): T[] {
  scratch(db);
  const ins = stmt(db, 'INSERT INTO temp.flowmcp_tok (rowid, heading, body) VALUES (?, ?, ?)');
  try {
    for (const r of rows) ins.run(r.id, r.heading, r.body);
    return rawStmt(db, sql).all() as T[];
  } finally {
    stmt(db, `INSERT INTO temp.flowmcp_tok (flowmcp_tok) VALUES ('delete-all')`).run();
  }
}

/** Every term of these rows with its count per column, as FTS5 tokenizes them. */
export function tokenizeRows(db: Db, rows: readonly FtsRow[]): TermCount[] {
  return inScratch<TermCount>(db, rows, 'SELECT term, doc, col, count(*) FROM temp.flowmcp_tok_v GROUP BY term, doc, col');
}

/** Each word's tokens as FTS5 makes them for a query (porter-stemmed, folded); [] for a word it drops. */
export function tokenizeWords(db: Db, words: readonly string[]): string[][] {
  const out = words.map((): string[] => []);
  const rows = words.map((w, i) => ({ id: i + 1, heading: '', body: w }));
  // Instances come back ordered by term; a word's tokens are put back in their order by offset.
  const found = inScratch<[string, number, number]>(db, rows, 'SELECT term, doc, offset FROM temp.flowmcp_tok_v');
  found.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  for (const [term, id] of found) out[id - 1]!.push(term);
  return out;
}

/** Up to `limit` chunks past `afterId`, in id order, with the text their FTS rows were made of (raw), and their kind. */
export function chunkTextsAfter(db: Db, afterId: number, upToId: number, limit: number): [id: number, heading: string, body: string, kind: string][] {
  return rawStmt(db, 'SELECT id, heading, body, kind FROM chunks WHERE id > ? AND id <= ? ORDER BY id LIMIT ?').all(afterId, upToId, limit) as [
    number,
    string,
    string,
    string,
  ][];
}

/** The kind of each chunk with an id in (afterId, upToId]. */
export function chunkKindsIn(db: Db, afterId: number, upToId: number): Map<number, string> {
  return new Map(rawStmt(db, 'SELECT id, kind FROM chunks WHERE id > ? AND id <= ?').all(afterId, upToId) as [number, string][]);
}

/** The highest chunk id ever handed out (AUTOINCREMENT: ids only grow), 0 when none. */
export function lastChunkId(db: Db): number {
  return (stmt(db, `SELECT seq FROM sqlite_sequence WHERE name = 'chunks'`).pluck().get() as number | undefined) ?? 0;
}

/**
 * Changes with every chunk added or deleted, and with every full-text row added, even one no chunk has (a
 * planted or damaged database): three single reads, where counting them scans. Equal twice, no chunk
 * came or went in between. (A chunk added moves the sequence, one deleted the count of migration 15;
 * FTS5's row count only grows, with contentless_delete.) Undefined when the deletes are not counted.
 */
export function chunksVersion(db: Db): string | undefined {
  if (!countsDeletes(db)) return undefined;
  const deletes = stmt(db, 'SELECT n FROM chunk_deletes WHERE id = 1').pluck().get() as unknown;
  if (typeof deletes !== 'number') return undefined;
  return `${lastChunkId(db)}/${deletes}/${ftsTotals(db)?.rows ?? 'none'}`;
}

const deletesCounted = new WeakMap<Db, boolean>();

/**
 * Whether this database counts chunk deletes as migration 15 made it: its table and trigger are there. A
 * database that lost either (damaged, or edited by hand) has no version: what depends on one is counted
 * every time instead.
 */
function countsDeletes(db: Db): boolean {
  let ok = deletesCounted.get(db);
  if (ok === undefined) {
    ok =
      stmt(db, "SELECT COUNT(*) FROM sqlite_master WHERE (type = 'trigger' AND name = 'chunk_deletes_count' AND tbl_name = 'chunks') OR (type = 'table' AND name = 'chunk_deletes')")
        .pluck()
        .get() === 2;
    deletesCounted.set(db, ok);
  }
  return ok;
}

/** Every row holding this one-phrase MATCH expression, with its bm25 score negated (bigger is better). */
export function ftsPhraseScores(db: Db, match: string): [id: number, s: number][] {
  return rawStmt(db, 'SELECT rowid, -bm25(chunks_fts, 3.0, 1.0) FROM chunks_fts WHERE chunks_fts MATCH ?').all(match) as [number, number][];
}

/**
 * The natural logarithm as SQLite computes it (the C library's log(), which FTS5's bm25 calls for its
 * idf). V8's Math.log differs from it in the last bit for ~7% of arguments, and a score one bit off
 * orders ties differently from FTS5.
 */
export function sqliteLn(db: Db, x: number): number {
  return stmt(db, 'SELECT ln(?)').pluck().get(x) as number;
}

/** How many rows chunks_fts holds now (its docsize table has one per row, removed with the row). */
export function ftsRowCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM chunks_fts_docsize').pluck().get() as number;
}

/** Ids of the rows chunks_fts holds, up to `upToId`, ascending. */
export function ftsRowIdsUpTo(db: Db, upToId: number): number[] {
  return stmt(db, 'SELECT id FROM chunks_fts_docsize WHERE id <= ? ORDER BY id').pluck().all(upToId) as number[];
}

/**
 * Each row's token count per column as FTS5 recorded it (docsize: a varint per column), for rows with
 * ids in (afterId, upToId]; a row whose record is not two varints is left out (it then counts as a
 * row the text index does not hold, and the index does not answer).
 */
export function ftsRowSizes(db: Db, afterId: number, upToId: number): Map<number, [heading: number, body: number]> {
  const out = new Map<number, [number, number]>();
  for (const [id, sz] of rawStmt(db, 'SELECT id, sz FROM chunks_fts_docsize WHERE id > ? AND id <= ?').iterate(afterId, upToId) as Iterable<[number, unknown]>) {
    if (!Buffer.isBuffer(sz)) continue;
    const h = readVarint(sz, 0);
    const b = h && readVarint(sz, h.next);
    if (b && b.next === sz.length) out.set(id, [h.value, b.value]);
  }
  return out;
}

/**
 * The totals FTS5's bm25 reads: a row count and the tokens in each column. With contentless_delete a
 * delete does not take its row out of them (measured, SQLite 3.53): they count every row ever added.
 */
export interface FtsTotals {
  rows: number;
  heading: number;
  body: number;
}

/**
 * chunks_fts's totals, from its averages record (rowid 1 of its %_data table: SQLite varints, the row
 * count and then each column's token count; fts5_index.c). Undefined when it is missing or not of
 * that shape (a planted or damaged database): the text index then does not answer.
 */
export function ftsTotals(db: Db): FtsTotals | undefined {
  const block = stmt(db, 'SELECT block FROM chunks_fts_data WHERE id = 1').pluck().get() as unknown;
  if (!Buffer.isBuffer(block)) return undefined;
  const nums: number[] = [];
  let at = 0;
  while (at < block.length && nums.length < 4) {
    const v = readVarint(block, at);
    if (!v) return undefined;
    nums.push(v.value);
    at = v.next;
  }
  if (nums.length !== 3 || at !== block.length) return undefined;
  return { rows: nums[0]!, heading: nums[1]!, body: nums[2]! };
}

/** An SQLite varint (big-endian 7-bit groups; a ninth byte counts all 8 bits), as a safe integer. */
function readVarint(b: Buffer, at: number): { value: number; next: number } | undefined {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= b.length) return undefined;
    const byte = b[at + i]!;
    if (i === 8) {
      v = v * 256 + byte;
      return Number.isSafeInteger(v) ? { value: v, next: at + 9 } : undefined;
    }
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return Number.isSafeInteger(v) ? { value: v, next: at + i + 1 } : undefined;
  }
  return undefined;
}
