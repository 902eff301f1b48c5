// A refusal shown to the person: a revision conflict says which fields changed (and by whom) and the
// page shows the task as it is now, never overwritten; a 401 means the session is gone.
import { Refused } from './api.js';
import { layout } from './board.js';
import { conflictWords } from './conflict.js';
import { say } from './notices.js';
import { GONE, signedOutView } from './signed-out.js';
import { state } from './state.js';
import { rowOf, type Task, type TaskRow } from './types.js';

/**
 * Shows what went wrong. For a conflict the person's own unsaved edit text is kept by the task page;
 * `before` is the task as the person last saw it (to name what changed since).
 */
export function showRefusal(e: unknown, id?: string, before?: TaskRow & Partial<Task>): void {
  if (e instanceof Refused && e.status === 401) return signedOutView(GONE);
  if (e instanceof Refused && e.status === 409 && e.error.code === 'conflict') {
    const current = e.error.details?.current as Task | undefined;
    if (!current) return say(`${e.error.message} Look again and retry.`, 'error');
    const was = before ?? (id ? state.tasks.get(id) : undefined);
    if (id && current.flow_id === state.board?.flow_id) {
      state.tasks.set(id, rowOf(current));
      layout();
    }
    void conflictWords(current, was).then((w) => say(`Not changed: someone else changed the task meanwhile. ${w} The page shows it as it is now; retry if you still want your change.`, 'error'));
    return;
  }
  say(e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`, 'error');
}
