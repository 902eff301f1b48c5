// Whether a hook wants an event: one of its events (or "*") and every filter field equal to the
// event's value (or one of the values listed).
import type { HookDefV, HookEvent } from '../schemas/hooks.js';

export interface MatchFields {
  flow_id?: string | null;
  entity_id?: string | null;
  status?: string | null;
  agent?: string | null;
}

/** The event name the hook is given (the first of `events` it subscribes to), or undefined. */
export function matchHook(def: HookDefV, events: readonly HookEvent[], fields: MatchFields): HookEvent | undefined {
  const event = def.events.includes('*') ? events[0] : events.find((e) => def.events.includes(e));
  if (!event) return undefined;
  for (const [key, want] of Object.entries(def.filter ?? {})) {
    const have = fields[key as keyof MatchFields];
    if (have === undefined || have === null) return undefined;
    if (Array.isArray(want) ? !want.includes(have) : want !== have) return undefined;
  }
  return event;
}
