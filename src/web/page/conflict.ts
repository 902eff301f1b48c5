// The words for a change someone else made to a task the page shows: which fields differ from what the
// page had (types.ts changedFields), and who made the latest change and when (the task's history).
import { get } from './api.js';
import { changedFields, type Task, type TaskDetail, type TaskRow } from './types.js';

/** Who made a task's latest change and when, from its history (undefined when it cannot be read). */
async function lastChange(id: string): Promise<string | undefined> {
  try {
    const d = await get<TaskDetail>(`/api/task?id=${encodeURIComponent(id)}`);
    const e = d.history.reduce<TaskDetail['history'][number] | undefined>((a, b) => (!a || b.seq > a.seq ? b : a), undefined);
    return e ? `by ${e.agent} at ${e.at.replace('T', ' ').slice(0, 19)}` : undefined;
  } catch {
    return undefined;
  }
}

export async function conflictWords(current: Task, before: (TaskRow & Partial<Task>) | undefined): Promise<string> {
  const fields = before ? changedFields(before, current) : [];
  const who = await lastChange(current.id);
  return `"${current.title}" was changed meanwhile${who ? ` ${who}` : ''}: ${fields.length ? fields.join(', ') : 'its details'}; now revision ${current.revision}.`;
}
