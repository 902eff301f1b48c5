// The board's writes: a task moved to another status (drag, keys, its menu) and a task created, through
// the same core calls as the tools, each with the revision the page saw.
import { send } from './api.js';
import { focusTask, layout } from './board.js';
import { hideAlert, say, warningWords } from './notices.js';
import { showRefusal } from './refusal.js';
import { $, askedStatus, state } from './state.js';
import { rowOf, STATUS_LABEL, type Status, type Task } from './types.js';

/** Tasks with a status change on its way: one per task at a time (a second would carry a stale revision). */
const moving = new Set<string>();

/**
 * Moves a task to the status the person asked for (drag, keys, its menu). While a move of that task is on
 * its way, another ask only updates where it should end: the next move is sent after the answer, with
 * the revision it brought back (several quick presses of ] are several steps, never a false conflict).
 */
export async function setStatus(id: string, status: Status): Promise<void> {
  if (!state.tasks.has(id)) return;
  askedStatus.set(id, status);
  if (moving.has(id)) return;
  moving.add(id);
  hideAlert();
  try {
    for (;;) {
      const t = state.tasks.get(id);
      const want = askedStatus.get(id);
      if (!t || !want || t.status === want) return;
      try {
        const r = await send<{ task: Task; warnings?: string[] }>('POST', '/api/task/status', { id, status: want, expected_revision: t.revision });
        // Focus follows the task to its new column (so the next key moves it on) only if it is still on
        // that card: a person who went on to type a filter while the answer was on its way keeps typing there.
        const onCard = followsTask(id);
        state.tasks.set(id, rowOf(r.task));
        layout();
        if (onCard) focusTask(id);
        say(`"${r.task.title}" is now ${STATUS_LABEL[r.task.status]}.${warningWords(r.warnings)}`);
      } catch (e) {
        showRefusal(e, id, t);
        return;
      }
    }
  } finally {
    moving.delete(id);
    askedStatus.delete(id);
  }
}

/** Whether focus is on the task's card (or nowhere: a dragged card's column was drawn again). */
function followsTask(id: string): boolean {
  const at = document.activeElement;
  if (!at || at === document.body) return true;
  return (at as HTMLElement).closest(`[data-task="${CSS.escape(id)}"]`) !== null;
}

/** A create on its way: a second Enter (or click) meanwhile would create the task twice. */
let creating = false;

/** The create form: a title, a priority and a plan of the flow on the board. */
export function createTask(): void {
  if (creating) return;
  const title = ($('new-title') as HTMLInputElement).value.trim();
  // Spaces alone are no title: said, rather than a press that seems to do nothing.
  if (!title) return say('A task needs a title: type one in the box, then press Enter or Add.', 'error');
  const plan = ($('new-plan') as HTMLSelectElement).value;
  if (!plan) return say('This flow has no plan yet: create one with an assistant or `flowmcp plan create`, then add tasks here.', 'error');
  if (!state.board?.plans.some((p) => p.id === plan)) {
    const title = state.newPlan?.id === plan ? state.newPlan.title : plan;
    return say(`Not created: plan "${title}" was deleted meanwhile. Nothing was created. Choose another plan; your title is still in the box.`, 'error');
  }
  creating = true;
  const button = $('create').querySelector('button[type="submit"]') as HTMLButtonElement | null;
  if (button) button.disabled = true;
  void send<{ task: Task }>('POST', '/api/task', { title, priority: ($('new-priority') as HTMLSelectElement).value, plan_id: plan })
    .then((r) => {
      state.tasks.set(r.task.id, rowOf(r.task));
      ($('new-title') as HTMLInputElement).value = '';
      layout();
      say(`Created "${r.task.title}".`);
    })
    .catch((err: unknown) => showRefusal(err))
    .finally(() => {
      creating = false;
      if (button) button.disabled = false;
    });
}
