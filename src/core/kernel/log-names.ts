// The event log's filters (`flowmcp log --flow-id/--entity-id`, `flowmcp events --flow`) name things as
// every other command does: by id, legacy id or exact title (a document by its path), with a miss
// refused with the nearest names instead of answering an empty page. An id the log itself holds is
// taken as it is first: the history of a thing since deleted is still asked for by its id.
import { getEntry } from '../../store/context.js';
import { getDocument, getDocumentByPath, listDocuments } from '../../store/documents.js';
import { listEvents } from '../../store/events.js';
import { getSnapshot } from '../../store/snapshots.js';
import { FlowError } from '../../model/errors.js';
import { clip } from '../../model/error-text.js';
import { normalizeRelPath } from '../docs/doc-paths.js';
import { idKindOf } from './ids.js';
import { findFlow, findPlan, findTask, idNamed, nearestNames, notFound, notFoundNear, snapshotSuggestionPool } from './names.js';
import { closest, type Candidate } from './suggest.js';
import type { Call } from './workspace.js';

const ENTITY_HINT = 'Name a flow, plan or task by its id or exact title, a document by its path or id (the log shows ids in its entity_id column).';

/** `text` (or it in lower case, as ids are written) when the log has events with it in that column. */
function loggedAs(call: Call, column: 'flowId' | 'entityId', text: string): string | undefined {
  for (const id of new Set([text, text.toLowerCase()])) {
    if (listEvents(call.ws.db, { [column]: id, limit: 1 }).length > 0) return id;
  }
  return undefined;
}

/** The flow id a log filter names: an id in the log, else a flow as findFlow finds it (a miss is refused). */
export function logFlowId(call: Call, text: string): string {
  return loggedAs(call, 'flowId', text) ?? findFlow(call, text).id;
}

/** The thing (its id) a log filter names: any flow, plan, task, document or snapshot; a miss is refused. */
export function logEntityId(call: Call, text: string): string {
  const logged = loggedAs(call, 'entityId', text);
  if (logged) return logged;
  const kind = idKindOf(text);
  if (kind === 'flow') return findFlow(call, text).id;
  if (kind === 'plan') return findPlan(call, text).id;
  if (kind === 'task') return findTask(call, text).id;
  if (kind) {
    const db = call.ws.db;
    const id = text.toLowerCase();
    const live = kind === 'document' ? getDocument(db, id) : kind === 'snapshot' ? getSnapshot(db, id) : getEntry(db, id);
    if (live) return live.id;
    throw notFound(kind, text, kind === 'snapshot' ? snapshotSuggestionPool(call, text) : [], ENTITY_HINT);
  }
  const hits: { kind: string; id: string }[] = [];
  for (const k of ['flow', 'plan', 'task'] as const) {
    const id = idNamed(call, k, text);
    if (id) hits.push({ kind: k, id });
  }
  for (const d of documentsAt(call, text)) hits.push({ kind: `${d.source === 'flow' ? 'flow document' : 'project file'}`, id: d.id });
  if (hits.length === 1) return hits[0]!.id;
  if (hits.length > 1) {
    throw new FlowError(
      'invalid_input',
      `"${clip(text, 60)}" names ${hits.length} things: ${hits.map((h) => `${h.kind} ${h.id}`).join(', ')}. Nothing was shown.`,
      'Name the one you mean by its id.',
      { candidates: hits.map((h) => h.id) },
    );
  }
  throw notFoundNear('flow, plan, task or document', text, nearAnyKind(call, text), ENTITY_HINT);
}

/** The documents at a path (a flow document and a project file may share one); none when it is no path. */
function documentsAt(call: Call, text: string) {
  let path: string;
  try {
    path = normalizeRelPath(text);
  } catch {
    return [];
  }
  return [getDocumentByPath(call.ws.db, 'flow', path), getDocumentByPath(call.ws.db, 'project', path)].filter((d) => d !== undefined);
}

/** "Did you mean": the closest flows, plans, tasks and document paths together. */
function nearAnyKind(call: Call, text: string): Candidate[] {
  // A flow document and a project file may share a path: it is offered once.
  const paths = new Set(listDocuments(call.ws.db, { limit: 500 }).map((d) => d.path));
  const docs = [...paths].map((p) => ({ id: p, name: p }));
  return closest(text, [...nearestNames(call, 'flow', text), ...nearestNames(call, 'plan', text), ...nearestNames(call, 'task', text), ...docs]);
}
