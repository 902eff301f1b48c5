// Reading the event log: the history of every change, newest first.
import { listEvents, type EventRow } from '../../store/events.js';
import { decodeCursor, encodeCursor } from './cursor.js';
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
    entity_id: r.entity_id,
    flow_id: r.flow_id,
    summary: r.summary,
  };
  if (r.changes) e.changes = jsonColumn(r.changes, 'events.changes', z.record(z.string(), z.tuple([z.unknown(), z.unknown()]))) as Record<string, [unknown, unknown]>;
  return e;
}

export function readLog(call: Call, input: LogListInput): { events: LogEntry[]; next_cursor: string | null } {
  const limit = input.limit ?? LIMITS.pageDefault;
  const before = input.cursor ? decodeCursor('log', input.cursor, (v): v is number => typeof v === 'number') : undefined;
  const rows = listEvents(call.ws.db, { flowId: input.flow_id, entityId: input.entity_id, before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    events: page.map(toEntry),
    next_cursor: rows.length > limit ? encodeCursor('log', page[page.length - 1]!.seq) : null,
  };
}
