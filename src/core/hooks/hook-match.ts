// Whether a hook wants an event: one of its events (or "*") and every filter field equal to the
// event's value (or one of the values listed).
import type { HookDefV, HookEvent } from '../schemas/hooks.js';
import { projectKey } from './hook-trust.js';

/** The paths a project filter may name: as opened, and real (symlinks resolved). */
export function projectPaths(root: string): string[] {
  const real = projectKey(root);
  return real === root ? [root] : [root, real];
}

export interface MatchFields {
  /** The project's path as opened and its real path (a filter may name either). */
  project?: string[];
  /** One flow, or (pre hooks) every flow a change touches. */
  flow_id?: string | string[] | null;
  entity_id?: string | null;
  status?: string | null;
  agent?: string | null;
}

/** The event name the hook is given (the first of `events` it subscribes to), or undefined. */
/** `unknown`: fields whose value cannot be known, which every filter on them passes (fail safe for guards). */
export function matchHook(def: HookDefV, events: readonly HookEvent[], fields: MatchFields, unknown: readonly (keyof MatchFields)[] = []): HookEvent | undefined {
  // No event wanted: `event` is undefined, and so is the answer whatever the filters say.
  const event = def.events.includes('*') ? events[0] : events.find((e) => def.events.includes(e));
  for (const [key, want] of Object.entries(def.filter ?? {})) {
    if (unknown.includes(key as keyof MatchFields)) continue;
    const v = fields[key as keyof MatchFields];
    const have = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    if (!have.some((h) => (Array.isArray(want) ? want.includes(h) : want === h))) return undefined;
  }
  return event;
}
