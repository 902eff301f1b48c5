// Tasks that wait on unfinished dependencies without being marked blocked, said beside a list of blocked
// tasks: asked "what's blocked?", a person means both, and a list of status blocked alone read "(none)"
// while half the plan waited on one unfinished task.
import { clip } from '../../model/error-text.js';
import { tasksWaitingOnDeps } from '../../store/tasks.js';
import type { Call } from '../kernel/workspace.js';
import { scopeOf } from './next.js';

const NAMED = 3;

/** The note for a blocked-tasks list in this scope (a plan, else the flow given or current); undefined when none wait. */
export function waitingNote(call: Call, input: { flow_id?: string; plan_id?: string }): string | undefined {
  let scope;
  try {
    scope = scopeOf(call, input);
  } catch {
    return undefined; // no such plan or flow: the list itself says so
  }
  const { tasks, total } = tasksWaitingOnDeps(call.ws.db, { ...scope, limit: NAMED });
  if (total === 0) return undefined;
  const named = tasks.map((t) => `${t.id} "${clip(t.title, 60)}"`).join(', ');
  return `Not marked blocked, but waiting on unfinished dependencies: ${total === 1 ? named : `${total} tasks (${named}${total > NAMED ? ', …' : ''})`}. /flow next passes over them until those are done; /flow show task <id> says what each waits on.`;
}
