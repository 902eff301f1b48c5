// Reading the event log: the history of every change, newest first (`log`), or oldest first after a
// seq for followers (`events`, the SSE stream, resource subscriptions).
import { eventSizesAfter, eventsAfter, lastEventSeq, listEvents, type EventInput, type EventRow } from '../../store/events.js';
import type { Db } from '../../store/db.js';
import { isFlowError } from '../../model/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { logEntityId, logFlowId } from './log-names.js';
import { LIMITS } from '../schemas/common.js';
import type { LogListInput } from '../schemas/log.js';
import type { Call } from './workspace.js';
import { jsonColumn } from '../../store/rows.js';
import { z } from 'zod';

export interface LogEntry {
  seq: number;
  at: string;
  agent: string;
  session_id: string;
  action: string;
  entity: EventInput['entity'];
  entity_id: string;
  flow_id: string | null;
  summary: string;
  changes?: Record<string, [unknown, unknown]>;
}

function toEntry(r: EventRow): LogEntry {
  const e: LogEntry = {
    seq: r.seq,
    at: r.at,
    agent: r.agent,
    session_id: r.session_id,
    action: r.action,
    entity: r.entity,
    entity_id: r.entity_id,
    flow_id: r.flow_id,
    summary: r.summary,
  };
  if (r.changes) e.changes = jsonColumn(r.changes, 'events.changes', Changes) as Record<string, [unknown, unknown]>;
  return e;
}

const Changes = z.record(z.string(), z.tuple([z.unknown(), z.unknown()]));

/**
 * One event as followers get it (`flowmcp events --json`, the SSE `data:`): every field always present,
 * `changes` null when the change has no before → after pairs (or its column cannot be read: a follower
 * must not stop for ever at one damaged row; `changes_unreadable` then says so).
 */
export interface StreamEvent {
  seq: number;
  at: string;
  action: string;
  entity: EventInput['entity'];
  entity_id: string;
  flow_id: string | null;
  agent: string;
  session_id: string;
  summary: string;
  changes: Record<string, [unknown, unknown]> | null;
  changes_unreadable?: true;
}

function toStreamEvent(r: EventRow): StreamEvent {
  const e: StreamEvent = {
    seq: r.seq,
    at: r.at,
    action: r.action,
    entity: r.entity,
    entity_id: r.entity_id,
    flow_id: r.flow_id,
    agent: r.agent,
    session_id: r.session_id,
    summary: r.summary,
    changes: null,
  };
  if (r.changes) {
    try {
      e.changes = jsonColumn(r.changes, 'events.changes', Changes) as Record<string, [unknown, unknown]>;
    } catch (err) {
      if (!isFlowError(err)) throw err;
      e.changes_unreadable = true;
    }
  }
  return e;
}

export interface EventFilter {
  flow_id?: string;
  entity?: EventInput['entity'];
}

/** Up to `limit` events after seq `after` (and at most `upTo`), oldest first. */
export function eventsSince(db: Db, after: number, upTo: number, limit: number, filter: EventFilter = {}): StreamEvent[] {
  return eventsAfter(db, { after, upTo, limit, flowId: filter.flow_id, entity: filter.entity }).map(toStreamEvent);
}

/**
 * The last seq a page read after `after` may reach (at most `upTo`, at most `limit` events) and hold at
 * most `maxBytes` of events' text, or one event whatever its size: a page of 200 task updates with
 * 100 KB descriptions was ~20 MB, read and formatted for each follower at once (a red-team pass: 20
 * streams held every other caller 11 s and the server's memory past 2 GB).
 */
export function pageEnd(db: Db, after: number, upTo: number, limit: number, maxBytes: number): number {
  const sizes = eventSizesAfter(db, after, upTo, limit);
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    bytes += sizes[i]![1];
    if (bytes > maxBytes && i > 0) return sizes[i - 1]![0];
  }
  return sizes.length < limit ? upTo : sizes[sizes.length - 1]![0];
}

/** The newest event's seq (0 when the log is empty). */
export function newestSeq(db: Db): number {
  return lastEventSeq(db);
}

/**
 * The log newest first, a page at a time. Its filters name a flow and a thing as every command does (an
 * id, legacy id or exact title; log-names.ts): one that names nothing is refused, never an empty page.
 */
export function readLog(call: Call, input: LogListInput): { events: LogEntry[]; next_cursor: string | null } {
  const limit = input.limit ?? LIMITS.pageDefault;
  const flowId = input.flow_id === undefined ? undefined : logFlowId(call, input.flow_id);
  const entityId = input.entity_id === undefined ? undefined : logEntityId(call, input.entity_id);
  // The cursor carries the filters it was made under, as resolved: a title and its id page alike.
  const tag = { f: flowId ?? null, e: entityId ?? null };
  const before = input.cursor ? decodeCursor('log', input.cursor, (v): v is number => typeof v === 'number', tag) : undefined;
  const rows = listEvents(call.ws.db, { flowId, entityId, before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    events: page.map(toEntry),
    next_cursor: rows.length > limit ? encodeCursor('log', page[page.length - 1]!.seq, tag) : null,
  };
}
