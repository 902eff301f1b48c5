// A /flow command that ran is an event (`command`) for on_command hooks. It goes into the event log
// like every change — after the changes the command made, in its own transaction — so the same
// durable delivery carries it. Written only while some post hook listens for it: a project without
// such a hook keeps a log of changes only.
import { clip } from '../../model/error-text.js';
import { record } from '../kernel/events.js';
import type { Call } from '../kernel/workspace.js';
import { runnableHooks } from './hook-config.js';
import { nudgeHooks } from './hook-nudge.js';

export function recordCommand(call: Call, text: string, outcome: string): void {
  if (call.ws.readOnly) return;
  const listening = runnableHooks(call.ws, 'post').some((h) => h.def.events.includes('command') || h.def.events.includes('*'));
  if (!listening) return;
  call.ws.write(() =>
    record(call, {
      action: 'command.run',
      entity: 'command',
      entity_id: call.session.id,
      flow_id: call.session.currentView().flow_id,
      summary: clip(text, 1000),
      changes: { outcome: [null, outcome] },
    }),
  );
  nudgeHooks(call.ws);
}
