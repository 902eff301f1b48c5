// Task dependencies: depend / undepend, refusing any edge that would close a cycle (and naming it).
import { addDependency, directDependencyIds, removeDependency } from '../../store/deps.js';
import { getTask, type TaskRow } from '../../store/tasks.js';
import { markTaskChanged } from '../../store/task-updates.js';
import { cycleError, pathBetween } from './dep-graph.js';
import { FlowError } from '../../model/errors.js';
import { clip, listSome } from '../../model/error-text.js';
import { record } from '../kernel/events.js';
import { findTask } from '../kernel/names.js';
import type { TaskDependInput } from '../schemas/task.js';
import type { TaskDependResultV, TaskUndependResultV } from '../schemas/results.js';
import { taskView } from './views.js';
import type { Call } from '../kernel/workspace.js';

/** The path dep → … → task along existing "depends on" edges, if there is one. */
function pathInDb(call: Call, from: string, to: string): string[] | undefined {
  return pathBetween(from, to, (id) => directDependencyIds(call.ws.db, id));
}

function label(call: Call, id: string): string {
  const t = getTask(call.ws.db, id);
  return t ? `${id} "${clip(t.title, 40)}"` : id;
}

export function depend(call: Call, input: TaskDependInput): TaskDependResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const now = call.ws.now();
    const task = findTask(call, input.id);
    const added: string[] = [];
    for (const ref of input.depends_on) {
      const dep: TaskRow = findTask(call, ref);
      if (dep.id === task.id) {
        throw new FlowError('cycle', `Task ${task.id} cannot depend on itself. Nothing was changed.`, 'Name a different task in depends_on.');
      }
      if (dep.flow_id !== task.flow_id) {
        throw new FlowError(
          'invalid_input',
          `Task ${task.id} cannot depend on ${dep.id}: it belongs to another flow (${dep.flow_id}). Nothing was changed.`,
          'Dependencies link tasks of the same flow.',
        );
      }
      // task → dep closes a cycle exactly when dep already (transitively) depends on task.
      const path = pathInDb(call, dep.id, task.id);
      if (path) {
        throw cycleError([task.id, ...path], (id) => label(call, id), `Remove one link of the cycle first (task undepend), or drop ${dep.id} from depends_on.`);
      }
      if (addDependency(db, task.id, dep.id, now)) added.push(dep.id);
    }
    if (added.length) {
      markTaskChanged(db, task.id, now);
      record(call, {
        action: 'task.depend',
        entity: 'task',
        entity_id: task.id,
        flow_id: task.flow_id,
        summary: `task ${task.id} now depends on ${added.join(', ')}`,
        changes: { depends_on: [null, added] },
      });
    }
    return { task: taskView(db, getTask(db, task.id)!, now), added };
  });
}

export function undepend(call: Call, input: TaskDependInput): TaskUndependResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const now = call.ws.now();
    const task = findTask(call, input.id);
    const current = new Set(directDependencyIds(db, task.id));
    const removed: string[] = [];
    for (const ref of input.depends_on) {
      // An id that is no dependency is named in the error so a typo is not silently ignored.
      const depId = current.has(ref) ? ref : findTask(call, ref).id;
      if (!current.has(depId)) {
        throw new FlowError(
          'not_found',
          `Task ${task.id} does not depend on ${depId}. Nothing was changed.`,
          `Its dependencies are: ${listSome([...current]) || 'none'}.`,
        );
      }
      if (removeDependency(db, task.id, depId)) removed.push(depId);
    }
    // Stryker disable next-line ConditionalExpression: every id given is either refused (not a dependency) or removed, so removed is never empty here
    if (removed.length) {
      markTaskChanged(db, task.id, now);
      record(call, {
        action: 'task.undepend',
        entity: 'task',
        entity_id: task.id,
        flow_id: task.flow_id,
        summary: `task ${task.id} no longer depends on ${removed.join(', ')}`,
        changes: { depends_on: [removed, null] },
      });
    }
    return { task: taskView(db, getTask(db, task.id)!, now), removed };
  });
}
