// Input of the event-log listing (flowmcp log).
import { z } from 'zod';
import { Cursor, Id, Limit } from './common.js';

export const LogList = z.object({ flow_id: Id.optional(), entity_id: Id.optional(), cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export type LogListInput = z.infer<typeof LogList>;

/** What an event is about (the `entity` of every event). */
export const EVENT_ENTITIES = ['flow', 'plan', 'task', 'document', 'context', 'snapshot'] as const;

/** A position in the event log: a seq, as a number or as the text of a header or query. */
export const Seq = z.coerce
  .number({ error: 'must be an event seq (a whole number, 0 for the start)' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

/** Following the event log (flowmcp events, GET /events): where to start, and which events. */
export const EventsFollow = z
  .object({
    since: Seq.optional(),
    flow: Id.optional(),
    entity: z.enum(EVENT_ENTITIES, { error: `must be one of ${EVENT_ENTITIES.join(', ')}` }).optional(),
  })
  .strict();
export type EventsFollowInput = z.infer<typeof EventsFollow>;
