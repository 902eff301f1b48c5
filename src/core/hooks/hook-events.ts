// Names the hook events: which event-log actions (post) and which tool calls (pre) are which hook
// event. One event-log row can be two hook events (a plan update that sets status done is both
// plan.updated and plan.completed); the more specific comes first.
import type { HookEvent } from '../schemas/hooks.js';

const POST: Record<string, HookEvent> = {
  'flow.create': 'flow.created',
  'flow.update': 'flow.updated',
  'flow.delete': 'flow.deleted',
  'plan.create': 'plan.created',
  'plan.update': 'plan.updated',
  'plan.reorder': 'plan.updated',
  'plan.delete': 'plan.deleted',
  'task.create': 'task.created',
  'task.update': 'task.updated',
  'task.set_status': 'task.status_changed',
  'task.move': 'task.moved',
  'task.delete': 'task.deleted',
  'task.claim': 'task.claimed',
  'task.release': 'task.released',
  'task.depend': 'task.dependency_added',
  'task.undepend': 'task.dependency_removed',
  'document.write': 'document.written',
  'document.delete': 'document.deleted',
  'context.save': 'context.saved',
  'context.merge': 'context.saved',
  'context.import': 'imported',
  import: 'imported',
  'snapshot.create': 'snapshot.created',
  'snapshot.restore': 'snapshot.restored',
  'snapshot.prune': 'snapshot.pruned',
  'command.run': 'command',
};

/** The hook events one event-log row is, most specific first. */
export function postEvents(action: string, changes: Record<string, [unknown, unknown]> | undefined): HookEvent[] {
  const base = POST[action];
  if (!base) return [];
  if (base === 'plan.updated' && changes?.status?.[1] === 'done') return ['plan.completed', 'plan.updated'];
  return [base];
}

/** The pre events of a tool call about to run: the same names, from the tool, action and input. */
export function preEvents(tool: string, action: string, input: Record<string, unknown>): HookEvent[] {
  if (tool === 'command') return input.dry_run ? [] : ['command'];
  if (tool === 'flow' && action === 'archive') return ['flow.updated'];
  if (tool === 'snapshot' && action === 'prune') return input.dry_run ? [] : ['snapshot.pruned'];
  // Everything else is named as its event-log row is (document index/link and reads are not there: none).
  const base = POST[`${tool}.${action}`];
  if (!base) return [];
  if (base === 'plan.updated' && input.status === 'done') return ['plan.completed', 'plan.updated'];
  return [base];
}
