// Writes the event log entry for a mutation, inside the mutation's own transaction.
import { appendEvent, type EventInput } from '../../store/events.js';
import type { Call } from './workspace.js';

export function record(call: Call, e: Omit<EventInput, 'at' | 'session_id' | 'agent'>): void {
  appendEvent(call.ws.db, { ...e, at: call.ws.now(), session_id: call.session.id, agent: call.session.agent });
  call.ws.eventsRecorded++;
}

/** The before → after pairs of fields that really changed. */
export function diffFields<T extends object>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const old = (before as Record<string, unknown>)[k];
    if (old !== v) out[k] = [old, v];
  }
  return out;
}

export function describeChanges(changes: Record<string, [unknown, unknown]>): string {
  return Object.entries(changes)
    .map(([k, [a, b]]) => `${k} ${short(a)} → ${short(b)}`)
    .join(', ');
}

function short(v: unknown): string {
  const s = v === null || v === undefined ? '∅' : String(v);
  return s.length > 40 ? JSON.stringify(s.slice(0, 37) + '…') : /\s/.test(s) ? JSON.stringify(s) : s;
}
