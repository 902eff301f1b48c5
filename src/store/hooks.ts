// Hook delivery state (migration 8, table hook_state): per hook, the delivery cursor into the event
// log, the lease that lets one process at a time deliver it, retry state, and counters.
import Database from 'better-sqlite3';
import type { Db } from './db.js';
import { openReadOnlyCopy } from './db.js';
import { stmt } from './statements.js';

export interface HookStateRow {
  name: string;
  def_hash: string;
  cursor: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  attempts: number;
  retry_at: number | null;
  runs: number;
  failures: number;
  /** pre hooks: changes they refused (a refusal is an answer, not a failure). */
  refusals: number;
  /** post hooks: runs a one-shot command stopped at the end of its time, since the last success. */
  interrupted: number;
  last_error: string | null;
  last_run_at: string | null;
  last_latency_ms: number | null;
  total_latency_ms: number;
}

export function hookState(db: Db, name: string): HookStateRow | undefined {
  return stmt(db, 'SELECT * FROM hook_state WHERE name = ?').get(name) as HookStateRow | undefined;
}

export function allHookStates(db: Db): HookStateRow[] {
  return stmt(db, 'SELECT * FROM hook_state ORDER BY name').all() as HookStateRow[];
}

/**
 * The row of a hook seen for the first time; a post hook starts at `cursor` (the newest event then:
 * a new hook does not replay history). A post hook that was a pre hook before gets its cursor now.
 */
export function ensureHookState(db: Db, name: string, hash: string, cursor: number | null): void {
  stmt(db, 'INSERT INTO hook_state (name, def_hash, cursor) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(name, hash, cursor);
  stmt(db, 'UPDATE hook_state SET def_hash = ?, cursor = COALESCE(cursor, ?) WHERE name = ?').run(hash, cursor, name);
}

/**
 * Takes (or renews) the lease when it is free, ours, or expired. A lease ending after `latest` (later
 * than any process could rightly have asked for: planted, or a clock gone wrong) counts as expired.
 * True when this owner holds it now.
 */
export function takeLease(db: Db, name: string, owner: string, now: number, until: number, latest: number = until): boolean {
  return (
    stmt(
      db,
      `UPDATE hook_state SET lease_owner = @owner, lease_until = @until
       WHERE name = @name AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until IS NULL OR lease_until < @now OR lease_until > @latest)`,
    ).run({ name, owner, now, until, latest }).changes === 1
  );
}

/** Moves a cursor behind `seq` up to it, with no retry pending: delivery starts after that event. */
export function startAt(db: Db, name: string, seq: number): void {
  stmt(db, 'UPDATE hook_state SET cursor = @seq, attempts = 0, retry_at = NULL WHERE name = @name AND cursor < @seq').run({ name, seq });
}

/** Puts a cursor that points past the newest event back to it (the log is shorter than the cursor says). */
export function resetCursor(db: Db, name: string, seq: number): void {
  stmt(db, 'UPDATE hook_state SET cursor = @seq WHERE name = @name AND cursor > @seq').run({ name, seq });
}

/** Brings a retry time later than `latest` (planted, or a clock gone wrong) back to it. */
export function clampRetry(db: Db, name: string, latest: number): void {
  stmt(db, 'UPDATE hook_state SET retry_at = @latest WHERE name = @name AND retry_at > @latest').run({ name, latest });
}

export function releaseLease(db: Db, name: string, owner: string): void {
  stmt(db, 'UPDATE hook_state SET lease_owner = NULL, lease_until = NULL WHERE name = ? AND lease_owner = ?').run(name, owner);
}

/**
 * Moves the cursor forward to `seq` (never back), only while `owner` holds the lease: a process whose
 * lease expired mid-delivery must not record over the one that took it over. True when it moved.
 */
export function advanceCursor(db: Db, name: string, owner: string, seq: number): boolean {
  return stmt(db, 'UPDATE hook_state SET cursor = @seq WHERE name = @name AND lease_owner = @owner AND cursor < @seq').run({ name, owner, seq }).changes === 1;
}

/**
 * A run that succeeded: counters, and retry state and the last error cleared (the failures counter keeps
 * the history; an error shown beside a hook that works again only misleads).
 */
export function recordHookSuccess(db: Db, name: string, at: string, latencyMs: number): void {
  stmt(
    db,
    `UPDATE hook_state SET runs = runs + 1, attempts = 0, interrupted = 0, retry_at = NULL, last_error = NULL, last_run_at = @at,
       last_latency_ms = @ms, total_latency_ms = total_latency_ms + @ms WHERE name = @name`,
  ).run({ name, at, ms: Math.round(latencyMs) });
}

/** A pre hook's refusal: a run that answered, with what it said. */
export function recordHookRefusal(db: Db, name: string, at: string, latencyMs: number, message: string): void {
  stmt(
    db,
    `UPDATE hook_state SET runs = runs + 1, refusals = refusals + 1, last_error = @message, last_run_at = @at,
       last_latency_ms = @ms, total_latency_ms = total_latency_ms + @ms WHERE name = @name`,
  ).run({ name, at, ms: Math.round(latencyMs), message });
}

/** A run that failed: counters, the error, and (for post hooks) when to try again. */
export function recordHookFailure(db: Db, name: string, at: string, latencyMs: number, error: string, retryAt: number | null): void {
  stmt(
    db,
    `UPDATE hook_state SET runs = runs + 1, failures = failures + 1, attempts = attempts + (@retry IS NOT NULL),
       retry_at = @retry, last_error = @error, last_run_at = @at, last_latency_ms = @ms, total_latency_ms = total_latency_ms + @ms
     WHERE name = @name`,
  ).run({ name, at, ms: Math.round(latencyMs), error, retry: retryAt });
}

/** A post hook run a one-shot command stopped when its time ran out: neither a success nor a failure. */
export function recordHookInterrupted(db: Db, name: string, at: string, error: string): void {
  stmt(db, 'UPDATE hook_state SET interrupted = interrupted + 1, last_error = @error, last_run_at = @at WHERE name = @name').run({ name, at, error });
}

/** Lets go of every lease this owner holds (a process closing the project cleanly). */
export function releaseLeasesOf(db: Db, owner: string): void {
  stmt(db, 'UPDATE hook_state SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?').run(owner);
}

/**
 * The hook_state rows of another database file (one recover set aside), as far as they can be read:
 * cursors and counters, leases and retry times left behind (the next delivery starts afresh).
 */
export function salvageHookStates(file: string): HookStateRow[] {
  let db: Db | undefined;
  try {
    db = new Database(file, {
      readonly: true,
      // Stryker disable next-line BooleanLiteral: a read-only open never creates a missing file either; this only says so
      fileMustExist: true,
    });
  } catch {
    db = openReadOnlyCopy(file);
  }
  if (!db) return [];
  try {
    // Stryker disable next-line ConditionalExpression: without this check the SELECT below fails on a file with no hook_state and the catch gives the same []
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hook_state'").get()) return [];
    return db.prepare('SELECT * FROM hook_state').all() as HookStateRow[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/** Puts salvaged hook_state rows into a rebuilt database (recover), without leases or retry times. */
export function insertHookStates(db: Db, rows: HookStateRow[]): void {
  const ins = stmt(
    db,
    `INSERT OR IGNORE INTO hook_state (name, def_hash, cursor, runs, failures, refusals, interrupted, last_error, last_run_at, last_latency_ms, total_latency_ms)
     VALUES (@name, @def_hash, @cursor, @runs, @failures, @refusals, @interrupted, @last_error, @last_run_at, @last_latency_ms, @total_latency_ms)`,
  );
  for (const r of rows) {
    if (typeof r.name !== 'string' || typeof r.def_hash !== 'string') continue;
    const n = (v: unknown) => (Number.isSafeInteger(v) ? (v as number) : 0);
    ins.run({
      name: r.name,
      def_hash: r.def_hash,
      cursor: Number.isSafeInteger(r.cursor) ? r.cursor : null,
      runs: n(r.runs),
      failures: n(r.failures),
      refusals: n(r.refusals),
      interrupted: n(r.interrupted),
      last_error: typeof r.last_error === 'string' ? r.last_error : null,
      last_run_at: typeof r.last_run_at === 'string' ? r.last_run_at : null,
      last_latency_ms: typeof r.last_latency_ms === 'number' ? Math.round(r.last_latency_ms) : null,
      total_latency_ms: n(r.total_latency_ms),
    });
  }
}
