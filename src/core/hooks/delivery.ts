// Delivers post hooks from the event log, which is the transactional outbox: every change writes its
// event in its own transaction, so whatever committed is there to deliver, whatever happens after.
// Per hook, a cursor (store/hooks.ts) says which events it has passed; the worker takes the hook's
// lease, runs the hook for each matching event in seq order, and moves the cursor past an event only
// after the hook acknowledged it (exit 0, HTTP 2xx), in its own transaction. So: at least once, in
// order per hook, never again once the ack is recorded; a process killed between the ack and the
// record delivers that one event again on restart. A failure backs off exponentially (capped) for
// that hook alone; the others go on. Who runs this: hook-worker.ts.
import { nodeCrypto } from '../../node-crypto.js';
import { hostname } from 'node:os';
import { log } from '../../log.js';
import { adoptHookState, ownsHookState } from './hook-owner.js';
import { clip } from '../../model/error-text.js';
import { eventsAfter, lastEventSeq, type EventRow } from '../../store/events.js';
import {
  advanceCursor,
  clampRetry,
  ensureHookState,
  hookState,
  recordHookFailure,
  recordHookInterrupted,
  recordHookSuccess,
  releaseLease,
  resetCursor,
  takeLease,
} from '../../store/hooks.js';
import { jsonColumn } from '../../store/rows.js';
import { z } from 'zod';
import { MAX_HOOK_TIMEOUT_MS } from '../schemas/hooks.js';
import { testPause } from '../kernel/test-pause.js';
import type { Workspace } from '../kernel/workspace.js';
import { runnableHooks, type LoadedHook } from './hook-config.js';
import { postEvents } from './hook-events.js';
import { matchHook, projectPaths } from './hook-match.js';
import { runHook, timeoutOf } from './run-hook.js';
import { immediateTurn } from '../../background-turns.js';

/** Who holds a lease: this process, this time it ran. */
export const OWNER = `${hostname()}:${process.pid}:${nodeCrypto().randomBytes(4).toString('hex')}`;
/** A lease outlives one delivery's timeout by this much; a process killed mid-delivery is taken over after it. */
const LEASE_MARGIN_MS = 5_000;
/** The longest lease any process takes: one ending later than now + this was not taken by flowmcp, and counts as expired. */
export const MAX_LEASE_MS = MAX_HOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 60_000;
const BATCH = 200;
/** How long one pass over unwanted events runs before the event loop gets a turn. */
const SLICE_MS = 8;

const Changes = z.record(z.string(), z.tuple([z.unknown(), z.unknown()]));

export function changesOf(row: EventRow): Record<string, [unknown, unknown]> | undefined {
  return row.changes ? (jsonColumn(row.changes, 'events.changes', Changes) as Record<string, [unknown, unknown]>) : undefined;
}

/** The JSON a post hook is given for one event-log row (README: "Hook payloads"). */
export function postPayload(row: EventRow, event: string, hook: string, project: string): Record<string, unknown> {
  const changes = changesOf(row);
  const status = changes?.status?.[1];
  return {
    event,
    phase: 'post',
    hook,
    seq: row.seq,
    at: row.at,
    project,
    agent: row.agent,
    session_id: row.session_id,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    flow_id: row.flow_id,
    summary: row.summary,
    // Always there (null when nothing changed field by field), as in the event stream: one shape to parse.
    changes: changes ?? null,
    ...(typeof status === 'string' ? { status } : {}),
    ...(event === 'command' ? { command: row.summary } : {}),
  };
}

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

function match(h: LoadedHook, row: EventRow, project: string[]): string | undefined {
  const changes = changesOf(row);
  const events = postEvents(row.action, changes);
  if (!events.length) return undefined;
  const status = changes?.status?.[1];
  return matchHook(h.def, events, { project, flow_id: row.flow_id, entity_id: row.entity_id, agent: row.agent, status: typeof status === 'string' ? status : null });
}

/** Events of the log a backlog count reads at most (hooks list, /metrics): a bound, not a scan of history. */
export const BACKLOG_SCAN = 20_000;

/** How many events a hook has still to be given, among the next BACKLOG_SCAN events of the log. */
export function backlogOf(ws: Workspace, h: LoadedHook, cursor: number): number {
  const project = projectPaths(ws.root);
  let n = 0;
  let at = cursor;
  for (let read = 0; read < BACKLOG_SCAN; ) {
    const rows = eventsAfter(ws.db, { after: at, limit: 1000 });
    if (!rows.length) break;
    for (const r of rows) if (match(h, r, project)) n++;
    read += rows.length;
    at = rows[rows.length - 1]!.seq;
  }
  return n;
}

/**
 * Gives every runnable post hook that has no cursor yet one at the newest event, now: called when the
 * project opens (cli/with-project.ts, project.ts), before any command runs, so the first change made
 * after a hook was configured is delivered — a cursor created later, at a delivery pass, would start
 * past it. A hook first seen still does not replay older history.
 */
export function primeHookCursors(ws: Workspace): void {
  if (ws.readOnly) return;
  let hooks: LoadedHook[];
  try {
    hooks = runnableHooks(ws, 'post');
  } catch {
    return; // said by whoever delivers
  }
  const fresh = hooks.filter((h) => {
    const s = hookState(ws.db, h.def.name);
    return !s || s.cursor === null;
  });
  if (!fresh.length && (!hooks.length || ownsHookState(ws))) return;
  try {
    ws.write(() => {
      const newest = lastEventSeq(ws.db);
      // State this user's flowmcp did not write (a cloned flow.db) starts at the newest event (hook-owner.ts).
      adoptHookState(ws, newest);
      for (const h of fresh) ensureHookState(ws.db, h.def.name, h.hash, newest);
    });
  } catch (e) {
    log.debug(`hooks: cursors not created at open: ${(e as Error).message}`);
  }
}

const told = new Set<string>();
function tellOnce(key: string, text: string): void {
  if (told.has(key)) return;
  told.add(key);
  log.warn(text);
}

function stillRuns(ws: Workspace, h: LoadedHook): boolean {
  return runnableHooks(ws, 'post').some((x) => x.def.name === h.def.name && x.hash === h.hash);
}

interface DrainControl {
  signal: AbortSignal;
  /** Stop starting deliveries after this time (epoch ms): the CLI's budget. */
  until?: number;
}

/** Delivers one hook's pending events, in order, until none is left, one fails, or it is told to stop. */
export async function drainHook(ws: Workspace, h: LoadedHook, ctl: DrainControl): Promise<void> {
  const db = ws.db;
  const name = h.def.name;
  const state = hookState(db, name);
  if (!state || state.def_hash !== h.hash || state.cursor === null) {
    ws.write(() => ensureHookState(db, name, h.hash, lastEventSeq(db)));
  }
  let s = hookState(db, name)!;
  const newest = lastEventSeq(db);
  // State no run of flowmcp could have written (a database edited by hand or by a repository, a clock
  // gone wrong) must not stop delivery for good.
  if ((s.cursor ?? 0) > newest) {
    log.warn(`hook ${name}: its delivery cursor (${s.cursor}) was past the newest event (${newest}); it was put back to the newest, so nothing waits on events that do not exist`);
    ws.write(() => resetCursor(db, name, newest));
  }
  if (s.retry_at !== null && s.retry_at > Date.now() + BACKOFF_CAP_MS) ws.write(() => clampRetry(db, name, Date.now() + BACKOFF_CAP_MS));
  s = hookState(db, name)!;
  if (s.retry_at !== null && s.retry_at > Date.now()) return;
  if ((s.cursor ?? 0) >= newest) return; // nothing new: no lease taken, no write
  const project = projectPaths(ws.root);
  const leaseMs = timeoutOf(h.def) + LEASE_MARGIN_MS;
  let leasedAt = 0;
  const lease = () => {
    leasedAt = Date.now();
    return ws.write(() => takeLease(db, name, OWNER, Date.now(), Date.now() + leaseMs, Date.now() + MAX_LEASE_MS));
  };
  if (!lease()) return; // another process is delivering this hook
  try {
    for (;;) {
      if (ctl.signal.aborted || (ctl.until !== undefined && Date.now() > ctl.until)) return;
      const cursor = hookState(db, name)!.cursor!;
      // Events this hook does not want are passed over a slice at a time: the cursor is moved once per
      // slice, and the event loop gets a turn between slices (a long unmatched stretch must not stall
      // the server's answers).
      const sliceEnd = performance.now() + SLICE_MS;
      let passed = cursor;
      let next: { row: EventRow; event: string } | undefined;
      let end = false;
      while (!next && performance.now() < sliceEnd) {
        const rows = eventsAfter(db, { after: passed, limit: BATCH });
        if (!rows.length) {
          end = true;
          break;
        }
        for (const row of rows) {
          const event = match(h, row, project);
          if (event) {
            next = { row, event };
            break;
          }
          passed = row.seq;
        }
      }
      if (passed > cursor && !ws.write(() => advanceCursor(db, name, OWNER, passed))) return;
      if (!next) {
        if (end) return;
        await immediateTurn();
        if (!db.open) return;
        if (Date.now() - leasedAt > leaseMs / 2 && !lease()) return; // renewed: passing over a long stretch may outlast it
        continue;
      }
      // The config may have changed since this pass began: a hook edited (and so untrusted) or removed
      // stops here, and is delivered again under whatever definition runs next.
      if (!stillRuns(ws, h)) return;
      // A one-shot command does not start again a hook it has seen outlast its time: one whose timeout
      // exceeds what is left waits for a server, the shell or `flowmcp hooks deliver` (which have the time).
      if (ctl.until !== undefined && hookState(db, name)!.interrupted > 0 && Date.now() + timeoutOf(h.def) > ctl.until) {
        tellOnce(name, `hook ${name}: not started by this command, which has less time left than its timeout (${timeoutOf(h.def)} ms) and stopped it before; a server or \`flowmcp hooks deliver\` delivers it`);
        return;
      }
      if (!lease()) return; // renewed for this delivery; lost means another process took over
      const { row, event } = next;
      const body = JSON.stringify(postPayload(row, event, name, ws.root));
      const o = await runHook(h.def, body, { project: ws.root, event, seq: row.seq, signal: ctl.signal });
      // Stopped (closing, or the CLI's budget ran out) before an answer: not a failure; delivered again
      // by whoever runs next. An answer that did come is recorded all the same.
      if (o.kind !== 'ok' && ctl.signal.aborted) {
        // Counted when it was a one-shot command's time that ran out (hooks list shows it), so the next
        // command does not start it again only to stop it again.
        if (ctl.until !== undefined && db.open) {
          ws.write(() => recordHookInterrupted(db, name, ws.now(), `interrupted: the command's ${Math.round(o.latencyMs)} ms ran out before it answered (event ${row.seq})`));
        }
        return;
      }
      if (o.kind === 'ok') {
        if (!db.open) return;
        // Acknowledged; recording it is the next step (a kill -9 right here redelivers this one event).
        testPause('hook-acked');
        const recorded = ws.write(() => {
          const moved = advanceCursor(db, name, OWNER, row.seq);
          if (moved) recordHookSuccess(db, name, ws.now(), o.latencyMs);
          return moved;
        });
        // Stryker disable next-line ConditionalExpression,BlockStatement: not recorded means the lease was lost; going on instead ends at the next lease() or advanceCursor (both refused while another holds it) or, once it is free again, delivers from the cursor as a new pass would
        if (!recorded) return;
        testPause('hook-recorded');
        continue;
      }
      const attempts = hookState(db, name)!.attempts + 1;
      const wait = backoffMs(attempts);
      const message = clip(o.message ?? o.kind, 300);
      ws.write(() => recordHookFailure(db, name, ws.now(), o.latencyMs, message, Date.now() + wait));
      log.warn(`hook ${name}: event ${row.seq} (${event}) not delivered (attempt ${attempts}): ${message}; next try in ${Math.ceil(wait / 1000)} s`);
      return;
    }
  } finally {
    try {
      if (db.open) ws.write(() => releaseLease(db, name, OWNER));
    } catch {
      // the lease expires by itself
    }
  }
}
