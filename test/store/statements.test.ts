// The prepared-statement cache: the same SQL on the same connection is prepared once and the same
// statement handed back; another connection gets its own (a statement belongs to its connection).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rawStmt, stmt } from '../../src/store/statements.js';

describe('stmt', () => {
  it('hands back the statement it prepared for the same SQL on the same connection', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    try {
      const one = stmt(a, 'SELECT 1 AS n');
      expect(stmt(a, 'SELECT 1 AS n')).toBe(one);
      expect(stmt(a, 'SELECT 2 AS n')).not.toBe(one);
      const other = stmt(b, 'SELECT 1 AS n');
      expect(other).not.toBe(one);
      expect(stmt(b, 'SELECT 1 AS n')).toBe(other);
      expect(other.get()).toEqual({ n: 1 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('rawStmt answers rows as arrays, and the same SQL through stmt still answers objects (raw mode never leaks)', () => {
    const db = new Database(':memory:');
    try {
      const sql = 'SELECT 1 AS n, \'x\' AS s';
      expect(rawStmt(db, sql).all()).toEqual([[1, 'x']]);
      expect(stmt(db, sql).all()).toEqual([{ n: 1, s: 'x' }]);
      expect(rawStmt(db, sql).all()).toEqual([[1, 'x']]);
      expect(rawStmt(db, sql)).toBe(rawStmt(db, sql));
      expect(rawStmt(db, sql)).not.toBe(stmt(db, sql));
    } finally {
      db.close();
    }
  });
});
