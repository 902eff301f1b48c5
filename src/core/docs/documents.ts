// Document operations: write / read / list / link / unlink / delete of markdown documents that belong to
// the work (files under .flow/documents/, the source of truth for their text), indexed for search.
import { existsSync, lstatSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { log } from '../../log.js';
import { chunksComplete, replaceChunks } from '../../store/chunks.js';
import {
  addLink,
  deleteDocument,
  documentFlows,
  getDocument,
  getDocumentByPath,
  insertDocument,
  linksOf,
  listDocuments,
  removeLink,
  touchDocument,
  updateDocumentFile,
  type DocumentRow,
  type LinkKind,
  type LinkRow,
} from '../../store/documents.js';
import { rowExists } from '../../store/rows.js';
import { documentChunks, documentTitle, hashText } from '../../search/prepare.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { maxBytesFor, readDocumentFile } from './doc-limits.js';
import { checkDocExtension, documentsRoot, normalizeRelPath, safeJoin } from './doc-paths.js';
import { autoSnapshot, workspaceSnapshot } from '../snapshots/catalog.js';
import { FlowError } from '../../model/errors.js';
import { counted } from '../../model/counted.js';
import { record } from '../kernel/events.js';
import { idKindOf, newId } from '../kernel/ids.js';
import { findFlow, findPlan, findTask, notFoundNear } from '../kernel/names.js';
import { closest } from '../kernel/suggest.js';
import { checkRevision, requireConfirm } from '../kernel/revision.js';
import { DOC_LIST_DEFAULT, type DocDeleteInput, type DocLinkInput, type DocListInput, type DocReadInput, type DocWriteInput } from '../schemas/document.js';
import type { DocDeleteResultV, DocLinkResultV, DocListResultV, DocReadResultV, DocV, DocWriteResultV } from '../schemas/document-results.js';
import type { Call } from '../kernel/workspace.js';


function view(call: Call, row: DocumentRow): DocV {
  return {
    id: row.id,
    path: row.path,
    source: row.source,
    title: row.title,
    size: row.size,
    links: linksOf(call.ws.db, row.id),
    orphaned_at: row.orphaned_at,
    updated_at: row.updated_at,
    revision: row.revision,
  };
}

/** The link targets named in the input, checked to exist (ids normalised); none named → []. */
function targets(call: Call, input: { flow_id?: string; plan_id?: string; task_id?: string }): { kind: LinkKind; id: string; flowId: string }[] {
  const out: { kind: LinkKind; id: string; flowId: string }[] = [];
  if (input.flow_id) {
    const f = findFlow(call, input.flow_id);
    out.push({ kind: 'flow', id: f.id, flowId: f.id });
  }
  if (input.plan_id) {
    const p = findPlan(call, input.plan_id);
    out.push({ kind: 'plan', id: p.id, flowId: p.flow_id });
  }
  if (input.task_id) {
    const t = findTask(call, input.task_id);
    out.push({ kind: 'task', id: t.id, flowId: t.flow_id });
  }
  return out;
}

/** Indexes (or re-indexes) a document's text: metadata row, chunks, full-text rows. Inside a write tx. */
export function indexDocumentText(call: Call, source: 'flow' | 'project', path: string, text: string, file: { size: number; mtimeMs: number }): DocumentRow {
  const db = call.ws.db;
  const now = call.ws.now();
  const meta = { title: documentTitle(text, path), size: file.size, mtime_ms: file.mtimeMs, sha256: hashText(text) };
  let row = getDocumentByPath(db, source, path);
  if (!row) {
    const id = newId('document', (x) => rowExists(db, 'documents', x));
    insertDocument(db, { id, source, path, ...meta, orphaned_at: null, created_at: now, updated_at: now, revision: 1 });
    row = getDocument(db, id)!;
    replaceChunks(db, 'document', id, documentChunks(text, meta.title));
  } else if (row.sha256 !== meta.sha256) {
    updateDocumentFile(db, row.id, meta, now);
    replaceChunks(db, 'document', row.id, documentChunks(text, meta.title));
  } else {
    touchDocument(db, row.id, meta.mtime_ms, meta.size);
    // Same text, but its search entries may be gone (e.g. the row came back from a snapshot without
    // them): the stored hash alone must never make a document unfindable.
    if (!chunksComplete(db, row.id)) replaceChunks(db, 'document', row.id, documentChunks(text, meta.title));
  }
  return getDocument(db, row.id)!;
}

export function writeDocument(call: Call, input: DocWriteInput): DocWriteResultV {
  const path = normalizeRelPath(input.path);
  checkDocExtension(path);
  const named = targets(call, input);
  const root = documentsRoot(call);
  // From the checks to the file and its index, all under the database write lock: two writers naming
  // the same expected_revision are taken one at a time, and the second one is refused.
  let file: string | undefined;
  let previous: Buffer | undefined;
  let wrote = false;
  try {
    return call.ws.write(() => {
      const before = getDocumentByPath(call.ws.db, 'flow', path);
      // A new flow document may not take a project file's path; one written before the file was
      // indexed is still the writer's to update (read and delete then ask which one is meant).
      if (!before) refuseProjectPath(call, path);
      checkWriteRevision(call, path, before, input.expected_revision);
      file = safeJoin(root, path, { createDirs: true });
      // The file is the source of truth for the text: written before its index. If the process dies
      // before the database catches up, the next index or search notices the new hash and re-indexes.
      // The old bytes are kept to put back if the database refuses. Read with a bound: whatever sits at
      // this path may have been planted (a FIFO would hang the read, and with it every session of the
      // server); anything that is not a document file flowmcp could have written is refused before it
      // is replaced.
      if (existsSync(file)) {
        const r = readDocumentFile(file, 'flow');
        if (!r.ok) {
          throw new FlowError(
            'invalid_input',
            `Document ${path} is already on disk in .flow/documents/ and is ${r.why}, so it was not overwritten.`,
            'Move that file away (or delete it) yourself, then write the document again; nothing was changed.',
          );
        }
        previous = r.bytes;
      }
      wrote = true;
      writeFileAtomic(file, input.content);
      const st = statSync(file);
      const row = indexDocumentText(call, 'flow', path, input.content, { size: st.size, mtimeMs: st.mtimeMs });
      const now = call.ws.now();
      const links = named.length ? named : defaultTarget(call);
      // Every link this write added is said, the current plan's (no target named) as much as a named one:
      // rewriting a document another plan owns also files it under this one.
      const linked = links
        .filter((t) => addLink(call.ws.db, row.id, t.kind, t.id, now))
        .map((t) => `${t.kind} ${t.id}${named.length ? '' : ` (the current ${t.kind}: no flow_id, plan_id or task_id was given)`}`);
      record(call, {
        action: 'document.write',
        entity: 'document',
        entity_id: row.id,
        flow_id: links[0]?.flowId ?? null,
        summary: `${before ? 'updated' : 'wrote'} document ${path} (${st.size} bytes${before ? `, replacing revision ${before.revision}` : ''})`,
      });
      return {
        document: view(call, getDocument(call.ws.db, row.id)!),
        created: !before,
        ...(before ? { replaced_revision: before.revision } : {}),
        ...(linked.length ? { linked_to: linked } : {}),
      };
    });
  } catch (e) {
    // The database refused (disk full, read-only, busy) after the file was written: put the file back
    // as it was, so a refused write changes nothing.
    if (wrote && file) {
      try {
        if (previous === undefined) rmSync(file, { force: true });
        else writeFileAtomic(file, previous);
      } catch (undo) {
        log.error(`document ${path}: the database refused the write and the file could not be put back (${(undo as Error).message})`);
      }
    }
    throw e;
  }
}

/** How the project uses a path: an indexed file, a file not indexed (yet), or not at all. */
function projectUse(call: Call, path: string): 'indexed' | 'file' | undefined {
  if (getDocumentByPath(call.ws.db, 'project', path)) return 'indexed';
  // Only looked at, never read or followed: the path is relative and has no `..`, and a folder on the
  // way that is a link ends the look (the index never enters one, and what lies past it is outside the
  // project: whether a file exists there is not this project's to tell). A folder of that name is no
  // file a document could clash with.
  try {
    const parts = path.split('/');
    let at = call.ws.root;
    for (const [i, part] of parts.entries()) {
      at = join(at, part);
      const st = lstatSync(at, { throwIfNoEntry: false });
      if (!st || (st.isSymbolicLink() && i < parts.length - 1)) return undefined;
      if (i === parts.length - 1) return st.isDirectory() ? undefined : 'file';
    }
    return undefined;
  } catch {
    return undefined; // a parent that is a file, or unreadable: nothing the index could ever hold here
  }
}

/** A free path to suggest for the note: notes/<name>, else flow-notes/<path>. */
function anotherPath(call: Call, path: string): string {
  const name = path.split('/').pop()!;
  const free = (p: string) => p !== path && !projectUse(call, p) && !getDocumentByPath(call.ws.db, 'flow', p);
  return [`notes/${name}`, `flow-notes/${path}`].find(free) ?? `flow-notes/${path}`;
}

/**
 * Refuses a new flow document at a path the project uses: document read and delete name documents by
 * path, so a note there would stand in for the project's file (or clash with it once it is indexed).
 */
function refuseProjectPath(call: Call, path: string): void {
  const use = projectUse(call, path);
  if (!use) return;
  const instead = `Write your note at another path, e.g. ${anotherPath(call, path)} (flow documents live in .flow/documents/, apart from the project's files).`;
  if (use === 'indexed') {
    throw new FlowError(
      'invalid_input',
      `${path} is a project file indexed for search; a flow document at the same path would stand in for it in document read and delete. Nothing was written.`,
      `${instead} To change the project file itself, edit ${path} in the project: the index picks the edit up.`,
      { project_file: path },
    );
  }
  throw new FlowError(
    'invalid_input',
    `The project has a file ${path} (not indexed); a flow document at the same path would clash with it once it is (document read and delete name documents by path). Nothing was written.`,
    instead,
    { project_file: path },
  );
}

/** expected_revision on a write: the revision the writer read, or 0 for "there was none". */
function checkWriteRevision(call: Call, path: string, row: DocumentRow | undefined, expected: number | undefined): void {
  if (expected === undefined) return;
  if (row && expected === 0) {
    throw new FlowError(
      'conflict',
      `Conflict: document ${path} already exists at revision ${row.revision}; expected_revision 0 only creates. Nothing was changed.`,
      `Read it (document read), merge your text into it and write again with expected_revision ${row.revision}, or pick another path.`,
      { current: view(call, row) },
    );
  }
  if (row) return checkRevision('document', path, row.revision, expected, () => view(call, row), 'document read');
  if (expected > 0) {
    throw new FlowError(
      'conflict',
      `Conflict: there is no document ${path} (you expected revision ${expected}); it was deleted since you read it. Nothing was changed.`,
      'Check document list (a delete takes a snapshot first: snapshot list); to write it anew, use expected_revision 0 or leave it out.',
      { current: null },
    );
  }
}

/** With no target named, a new document belongs to the session's current plan, else its current flow. */
function defaultTarget(call: Call): { kind: LinkKind; id: string; flowId: string }[] {
  const cur = call.session.current();
  if (cur.planId && rowExists(call.ws.db, 'plans', cur.planId)) return [{ kind: 'plan', id: cur.planId, flowId: cur.flowId ?? '' }];
  if (cur.flowId && rowExists(call.ws.db, 'flows', cur.flowId)) return [{ kind: 'flow', id: cur.flowId, flowId: cur.flowId }];
  return [];
}

/**
 * The document a path names. Where a flow document and a project file share the path (the file was
 * indexed after the note was written, or an older flowmcp let a note take a project file's path) the
 * path alone is refused, never resolved by a silent pick: reading the wrong one misleads, deleting the
 * wrong one loses work. A document id names exactly one, so it is taken in place of the path (only when
 * no document has that path).
 */
function findDocument(call: Call, rawPath: string): DocumentRow {
  const path = normalizeRelPath(rawPath);
  const flow = getDocumentByPath(call.ws.db, 'flow', path);
  const project = getDocumentByPath(call.ws.db, 'project', path);
  if (flow && project) {
    throw new FlowError(
      'invalid_input',
      `${path} is both a flow document (.flow/documents/${path}, ${flow.id}) and a project file indexed for search (${project.id}). Nothing was done.`,
      `Name the one you mean by its id instead of the path: ${flow.id} (the flow document) or ${project.id} (the project file).`,
      { candidates: [flow, project].map((r) => ({ id: r.id, source: r.source, revision: r.revision })) },
    );
  }
  const row = flow ?? project ?? (idKindOf(path) === 'document' ? getDocument(call.ws.db, path) : undefined);
  if (row) return row;
  // A path a letter or two off, else one that holds the same file name (moved to another folder).
  const pool = listDocuments(call.ws.db, { limit: 500 }).map((d) => ({ id: d.path, name: d.path }));
  const near = closest(path, pool);
  const stem = path.split('/').pop()!.replace(/\.[a-z]+$/, '');
  throw notFoundNear('document', path, near.length ? near : closest(stem, pool), unindexedFile(call, path) ? `${path} is a file in the project that is not indexed: document index ${path} adds it (read-only), then read and search see it.` : 'Use document list to see document paths.');
}

/** Whether `path` is a regular file in the project folder (never outside it, never a link out of it). */
function unindexedFile(call: Call, path: string): boolean {
  try {
    return statSync(safeJoin(call.ws.root, path)).isFile();
  } catch {
    return false;
  }
}

export function readDocument(call: Call, input: DocReadInput): DocReadResultV {
  const row = findDocument(call, input.path);
  const file = row.source === 'flow' ? safeJoin(documentsRoot(call), row.path) : safeJoin(call.ws.root, row.path);
  let read;
  try {
    read = readDocumentFile(file, row.source);
  } catch {
    throw new FlowError('not_found', `Document ${row.path} is in the index but its file is gone.`, 'Run document reindex to drop missing files, or write it again.');
  }
  if (!read.ok) {
    // The file changed after it was indexed (grew, or was replaced by something that is not a file):
    // a result that size would swamp the client, so nothing is read.
    const hint =
      read.reason === 'hard_link'
        ? `Give the file one name (remove its other hard link, or replace it with a copy: cp ${row.path} x && mv x ${row.path}), then run document reindex; flowmcp never reads a file with several names.`
        : read.reason === 'not_a_file'
          ? 'Put a regular file back at that path, or run document reindex to drop it from the index.'
          : row.source === 'project'
            ? 'Open the file directly, or shrink or split it and run document reindex.'
            : 'Split it into smaller documents (document write), then run document reindex.';
    throw new FlowError(
      'invalid_input',
      `Document ${row.path} is ${read.why} now (${read.size} bytes; it was ${row.size} when indexed), so it is not returned. Nothing was read.`,
      hint,
      { size: read.size, limit: maxBytesFor(row.source) },
    );
  }
  return { document: view(call, row), ...linesOf(read.text, row.path, input.lines) };
}

/** What a read answers when no lines are asked for: a whole file up to this (~6k tokens), else its first part. */
export const READ_DEFAULT_BYTES = 24_000;
/** The most one read answers, lines asked for or not: a range is bounded too. */
export const READ_MAX_BYTES = 100_000;

/**
 * The part of a document a read answers. A long file (a 100 KB README) returned whole would flood the
 * caller's context: without `lines` a file past READ_DEFAULT_BYTES comes as its first whole lines, and
 * the answer says which lines it holds, how many there are and what to ask for next.
 */
export function linesOf(text: string, path: string, lines: number[] | undefined): { content: string; part?: { lines: [number, number]; total_lines: number; note?: string } } {
  if (!lines && Buffer.byteLength(text) <= READ_DEFAULT_BYTES) return { content: text };
  const all = text.split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop(); // the newline ending the last line starts no line
  const total = all.length;
  const [from, to] = lines ? [lines[0]!, Math.min(lines[1]!, total)] : [1, total];
  if (from > total) {
    throw new FlowError('invalid_input', `Document ${path} has ${counted(total, 'line')}; lines from ${from} are past its end. Nothing was read.`, `Ask for lines within 1-${total}.`);
  }
  const budget = lines ? READ_MAX_BYTES : READ_DEFAULT_BYTES;
  let bytes = 0;
  let last = from - 1;
  while (last < to) {
    const size = Buffer.byteLength(all[last]!) + 1;
    if (bytes + size > budget && last >= from) break;
    bytes += size;
    last++;
  }
  // One line longer than the whole budget (a minified file) comes cut, and says so.
  const single = last === from && bytes > budget;
  const content = single ? cutUtf8(all[from - 1]!, budget) : all.slice(from - 1, last).join('\n') + (last < total || text.endsWith('\n') ? '\n' : '');
  const asked = lines ? `lines ${from}-${to}` : 'the whole file';
  const more = last < to;
  const span = Math.max(1, last - from + 1);
  const note = single
    ? `Line ${from} alone is longer than ${budget} bytes: its first ${budget} bytes are here.`
    : more
      ? `Lines ${from}-${last} of ${total} (${asked} would pass ${budget} bytes). Read on with lines: [${last + 1}, ${Math.min(total, last + span)}], or search for the part you need.`
      : undefined;
  return { content, part: { lines: [from, last], total_lines: total, ...(note ? { note } : {}) } };
}

/** The longest start of s that is at most `max` bytes in UTF-8, never splitting a character. */
function cutUtf8(s: string, max: number): string {
  const b = Buffer.from(s);
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // back to the first byte of a character
  return b.subarray(0, end).toString('utf8');
}

function isDocKey(v: unknown): v is string {
  return typeof v === 'string';
}

export function documentsPage(call: Call, input: DocListInput): DocListResultV {
  const named = targets(call, input);
  const limit = input.limit ?? DOC_LIST_DEFAULT;
  const filters = named.map((t) => t.id);
  const after = input.cursor ? decodeCursor('document', input.cursor, isDocKey, filters) : undefined;
  const rows = listDocuments(call.ws.db, { targetIds: named.length ? named.map((t) => t.id) : undefined, afterPath: after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    documents: page.map((r) => {
      const { links: _l, ...rest } = view(call, r);
      return rest;
    }),
    next_cursor: rows.length > limit && last ? encodeCursor('document', `${last.source}\u0000${last.path}`, filters) : null,
  };
}

export function linkDocument(call: Call, input: DocLinkInput, on: boolean): DocLinkResultV {
  return call.ws.write(() => {
    const row = findDocument(call, input.path);
    const now = call.ws.now();
    let changed = 0;
    for (const t of targets(call, input)) {
      if (on ? addLink(call.ws.db, row.id, t.kind, t.id, now) : removeLink(call.ws.db, row.id, t.kind, t.id)) changed++;
    }
    if (changed) {
      record(call, {
        action: on ? 'document.link' : 'document.unlink',
        entity: 'document',
        entity_id: row.id,
        flow_id: null,
        summary: `${on ? 'linked' : 'unlinked'} document ${row.path} ${on ? 'to' : 'from'} ${changed} target(s)`,
      });
    }
    return { document: view(call, getDocument(call.ws.db, row.id)!), changed };
  });
}

/** Whether a row's path is one flowmcp could have stored: a database written by something else may hold "../x". */
function storablePath(path: string): boolean {
  try {
    return normalizeRelPath(path) === path;
  } catch {
    return false;
  }
}

export function removeDocument(call: Call, input: DocDeleteInput): DocDeleteResultV {
  const row = findDocument(call, input.path);
  // An entry whose path leads outside its folder (planted in the database): only the entry goes; no file
  // is read for a snapshot or removed, for none of it is flowmcp's. It could not be deleted at all before.
  if (!storablePath(row.path)) {
    requireConfirm(input.confirm, `the index entry ${row.id} (its path ${JSON.stringify(row.path.slice(0, 80))} is not one inside the project; no file is touched)`, '');
    return call.ws.write(() => {
      deleteDocument(call.ws.db, row.id);
      record(call, { action: 'document.delete', entity: 'document', entity_id: row.id, flow_id: null, summary: `deleted document entry ${row.id} (a path outside the project)` });
      return { deleted: { kind: 'document' as const, id: row.id, title: row.path, source: row.source, file_removed: false } };
    });
  }
  requireConfirm(
    input.confirm,
    row.source === 'flow' ? `document ${row.path}` : `project file ${row.path} from the search index (the file itself is kept)`,
    row.source === 'flow' ? ' (its text is kept in a snapshot first, so snapshot restore can bring it back); document unlink keeps the file' : '',
  );
  // A flowmcp document's text is snapshotted with every flow it belongs to (or the workspace, if none).
  let snapshot: string | undefined;
  if (row.source === 'flow') {
    const flows = documentFlows(call.ws.db, row.id);
    for (const f of flows) snapshot = autoSnapshot(call, f, `before deleting document ${row.path}`);
    if (!flows.length) snapshot = workspaceSnapshot(call, `before deleting document ${row.path}`);
  }
  const result = call.ws.write(() => {
    deleteDocument(call.ws.db, row.id);
    record(call, { action: 'document.delete', entity: 'document', entity_id: row.id, flow_id: null, summary: `deleted document ${row.path}` });
    return { deleted: { kind: 'document' as const, id: row.id, title: row.path, source: row.source, file_removed: row.source === 'flow' }, ...(snapshot ? { snapshot } : {}) };
  });
  // Only flowmcp's own files are removed, and only after the database no longer points at them.
  if (row.source === 'flow') rmSync(safeJoin(documentsRoot(call), row.path), { force: true });
  return result;
}
