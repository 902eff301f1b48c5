// The baseline every mode is compared against: plain SQLite FTS5 bm25() over the same chunks the
// product indexes, in a throwaway in-memory table, files ranked by their best chunk. None of the
// product's logic: no heading weight, no stopwords, no Korean two-character grams, no fusion, so the
// gap between this and `text` is what that logic buys.
import Database from 'better-sqlite3';
import { documentChunks, documentTitle } from '../../../src/search/prepare.js';
import { fileRanking } from './metrics.js';

export class Bm25Baseline {
  private readonly db = new Database(':memory:');
  private readonly query;

  constructor(docs: { name: string; markdown: string }[]) {
    this.db.exec("CREATE VIRTUAL TABLE plain USING fts5(file UNINDEXED, heading, body, tokenize='porter unicode61')");
    const insert = this.db.prepare('INSERT INTO plain (file, heading, body) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const d of docs) for (const c of documentChunks(d.markdown, documentTitle(d.markdown, d.name))) insert.run(d.name, c.heading, c.body);
    })();
    this.query = this.db.prepare<[string], { file: string }>('SELECT file FROM plain WHERE plain MATCH ? ORDER BY bm25(plain) LIMIT 200');
  }

  /** Files best first; every word of the question quoted and OR'd (quoting keeps FTS syntax out). */
  rank(question: string): string[] {
    const terms = [...new Set([...question.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)].map((m) => m[0]))];
    if (terms.length === 0) return [];
    return fileRanking(this.query.all(terms.map((t) => `"${t}"`).join(' OR ')).map((r) => r.file));
  }

  close(): void {
    this.db.close();
  }
}
