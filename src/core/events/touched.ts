// Which flows, plans, tasks and flow contexts an event changed the reading of: what resource
// subscriptions are told about. A thing is touched when what `flow get` / `plan get` / `task get` /
// `context get` returns for it may have changed:
//   - a task event: the task, its plan (counts) and flow (plan counts), the plan it moved from, and the
//     tasks on either side of its dependencies (their depends_on / waiting_on / dependents lists);
//   - a plan event: the plan and its flow; a flow event: the flow; a context event: the flow's context;
//   - deleting a flow, plan or task, restoring a snapshot, or an import: everything in that flow (in every
//     flow for a workspace restore or an import), because rows went or came whose ids the event does not list;
//   - documents and snapshot bookkeeping (create, pin, prune): nothing (no such resource shows them).
// When in doubt the answer is wider, never narrower: an extra "updated" costs a client one read.
import { dependenciesOf, dependentsOf } from '../../store/deps.js';
import { getTask } from '../../store/tasks.js';
import { getPlan } from '../../store/plans.js';
import { getFlow } from '../../store/flows.js';
import type { Db } from '../../store/db.js';
import type { StreamEvent } from '../kernel/event-log.js';

export type ThingKind = 'flow' | 'plan' | 'task' | 'context';

export interface Touched {
  /** `kind:id` of each thing touched by name. */
  things: Set<string>;
  /** Flows everything within which is touched. */
  flows: Set<string>;
  /** Everything in the project is touched. */
  all: boolean;
  /** `kind:id` of things that may now be in another flow (a task moved): their flow is looked up again. */
  moved?: Set<string>;
}

export const thingKey = (kind: ThingKind, id: string) => `${kind}:${id}`;

/** Past this many dependency neighbours, the whole flow counts as touched rather than each task. */
const NEIGHBOURS = 500;

const WIDE = new Set(['flow.delete', 'plan.delete', 'task.delete', 'snapshot.restore', 'import']);
const NOTHING = new Set(['snapshot.create', 'snapshot.pin', 'snapshot.unpin', 'snapshot.prune']);

/** The ids on both sides of a before → after pair (each side an id, a list of ids, or null). */
function idsIn(pair: unknown): string[] {
  // Stryker disable next-line ArrayDeclaration: a pair is always a two-element array (the Changes schema reads it so); the other branch only ever wraps undefined, which the filter drops as it drops []
  return (Array.isArray(pair) ? pair : [pair]).flat().filter((x): x is string => typeof x === 'string');
}

export function touchedBy(db: Db, e: StreamEvent): Touched {
  const t: Touched = { things: new Set(), flows: new Set(), all: false };
  const add = (kind: ThingKind, id: string | null | undefined) => id && t.things.add(thingKey(kind, id));
  if (NOTHING.has(e.action) || e.entity === 'document') return t;
  if (WIDE.has(e.action) || !['flow', 'plan', 'task', 'context'].includes(e.entity)) {
    if (e.flow_id) t.flows.add(e.flow_id);
    else t.all = true;
    add(e.entity === 'snapshot' ? 'flow' : (e.entity as ThingKind), e.entity_id);
    return t;
  }
  add(e.entity as ThingKind, e.entity_id);
  if (e.entity === 'context') return t;
  add('flow', e.flow_id);
  if (e.entity !== 'task') return t;
  const task = getTask(db, e.entity_id);
  add('plan', task?.plan_id);
  for (const id of idsIn(e.changes?.plan_id)) add('plan', id);
  if (e.changes?.plan_id || e.changes?.flow_id) (t.moved = new Set()).add(thingKey('task', e.entity_id));
  const neighbours = [...dependenciesOf(db, e.entity_id).map((d) => d.id), ...dependentsOf(db, e.entity_id).map((d) => d.id)];
  for (const id of idsIn(e.changes?.depends_on)) neighbours.push(id);
  if (neighbours.length > NEIGHBOURS && e.flow_id) t.flows.add(e.flow_id);
  else for (const id of neighbours) add('task', id);
  return t;
}

/** The flow a thing belongs to (a flow or a context: itself), or undefined when there is no such thing. */
export function flowOfThing(db: Db, kind: ThingKind, id: string): string | undefined {
  if (kind === 'task') return getTask(db, id)?.flow_id;
  if (kind === 'plan') return getPlan(db, id)?.flow_id;
  return getFlow(db, id)?.id;
}
