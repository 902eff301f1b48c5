// `flowmcp log`: who changed what, newest first, from the event log (a table, or --json for scripts).
import { z } from 'zod';
import { readLog } from '../core/kernel/event-log.js';
import { LogList } from '../core/schemas/log.js';
import { defineCommand } from './command.js';
import { table } from './render.js';
import { withProject } from './with-project.js';

// The core's own input schema, with --limit read from its text.
const LogFlags = LogList.extend({
  flow_id: LogList.shape.flow_id.meta({ value: 'F', help: 'only changes in this flow (its id or exact name)' }),
  entity_id: LogList.shape.entity_id.meta({ value: 'ID', help: 'only changes to this flow, plan, task or document (its id, exact title or path)' }),
  cursor: LogList.shape.cursor.meta({ value: 'C', help: 'where the previous page stopped' }),
  limit: z.coerce.number({ error: '--limit takes a number' }).pipe(LogList.shape.limit.unwrap()).optional().meta({ value: 'N', help: 'how many events' }),
});

export const logCommand = defineCommand({
  name: 'log',
  summary: ['history of changes, newest first'],
  flags: LogFlags,
  run: ({ flags }, global) =>
    withProject(global.dir, async (call) => {
      const r = readLog(call, flags);
      if (global.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else process.stdout.write(table(r.events as unknown as Record<string, unknown>[], ['seq', 'at', 'agent', 'action', 'entity_id', 'summary']) + (r.next_cursor ? `\nmore: add --cursor ${r.next_cursor}` : '') + '\n');
      return 0;
    }, 'cli', { readsOnly: true }),
});
