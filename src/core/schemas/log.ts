// Input of the event-log listing (flowmcp log).
import { z } from 'zod';
import { Cursor, Id, Limit } from './common.js';

export const LogList = z.object({ flow_id: Id.optional(), entity_id: Id.optional(), cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export type LogListInput = z.infer<typeof LogList>;
