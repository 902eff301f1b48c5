// Hook delivery state (migration 8, table hook_state): per hook, the delivery cursor into the event
// log, the lease that lets one process at a time deliver it, retry state, and counters.
import type { Db } from './db.js';
import { stmt } from './statements.js';
import type { EventRow } from './events.js';

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
  last_error: string | null;
  last_run_at: string | null;
  last_latency_ms: number | null;
  total_latency_ms: number;
}

export function lastEventSeq(db: Db): number {
  return (stmt(db, 'SELECT COALESCE(MAX(seq), 0) AS n FROM events').get() as { n: number }).n;
}

/** Events after `seq`, oldest first. */
export function eventsAfter(db: Db, seq: number, limit: number): EventRow[] {
  return stmt(db, 'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as EventRow[];
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

/** Takes (or renews) the lease when it is free, ours, or expired. True when this owner holds it now. */
export function takeLease(db: Db, name: string, owner: string, now: number, until: number): boolean {
  return (
    stmt(
      db,
      `UPDATE hook_state SET lease_owner = @owner, lease_until = @until
       WHERE name = @name AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < @now)`,
    ).run({ name, owner, now, until }).changes === 1
  );
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

/** A run that succeeded: counters, and retry state cleared. */
export function recordHookSuccess(db: Db, name: string, at: string, latencyMs: number): void {
  stmt(
    db,
    `UPDATE hook_state SET runs = runs + 1, attempts = 0, retry_at = NULL, last_run_at = @at,
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

/** Lets go of every lease this owner holds (a process closing the project cleanly). */
export function releaseLeasesOf(db: Db, owner: string): void {
  stmt(db, 'UPDATE hook_state SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?').run(owner);
}
