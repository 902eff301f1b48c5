// Keeps .flow/context/<flow>.json in step with the database, which is authoritative. The file is
// written after the change commits, under the database write lock (so two processes never write it
// out of order), atomically, and recorded with its hash and text. Reading it back tells three cases
// apart: current (its bytes are what the database renders now), stale (it is what flowmcp last
// wrote; the database moved on, or a crash fell between commit and write) and hand-edited (anything
// else), whose edits are merged into the database against the last written file as the base.
import { parseJsonAt } from '../../store/legacy/parse-json.js';
import { nodeCrypto } from '../../node-crypto.js';
import { existsSync, lstatSync, renameSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { mergeEdits, type MergeOp } from '../../memory-format/merge.js';
import { ContextFile, type ContextFileT } from '../../memory-format/layout.js';
import { renderContext, serializeContext } from '../../memory-format/render.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { readFileBounded } from '../../store/bounded-file.js';
import { contextMark, entriesOf, getState, setWrittenFile } from '../../store/context.js';
import { getFlow } from '../../store/flows.js';
import { log } from '../../log.js';
import { FlowError } from '../../model/errors.js';
import type { ReconcileReportV } from '../schemas/context-results.js';
import { MAX_CONTEXT_FILE_BYTES } from '../../model/limits.js';
import type { Call } from '../kernel/workspace.js';

export type ReconcileReport = ReconcileReportV;

/** The shape of every flow id flowmcp makes; imported ids live in legacy_id, never here. */
export const FLOW_ID_SHAPE = /^f-[0-9a-z]{1,40}$/;

/**
 * Where a flow's context.json lives. The id becomes part of a path and may come from a flow.db that a
 * cloned repository wrote, so anything but the shape flowmcp makes is refused, never joined.
 */
export function contextFilePath(call: Call, flowId: string): string {
  if (!FLOW_ID_SHAPE.test(flowId)) {
    throw new FlowError('storage', `Flow id ${JSON.stringify(flowId.slice(0, 60))} in flow.db is not one flowmcp makes; its context.json was not touched.`, 'The database may have been written by another program: check .flow/flow.db, or rebuild it with flowmcp recover.');
  }
  return join(call.ws.flowDir, 'context', `${flowId}.json`);
}

const sha = (s: string) => nodeCrypto().createHash('sha256').update(s).digest('hex');

/**
 * What this process last wrote (or found current) for a flow's context.json: the file's identity on
 * disk and the database state it mirrors. While both still match, the file needs neither reading,
 * rendering nor hashing: the common path of every context call.
 */
interface Stamp {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  hash: string;
  revision: number;
  dbMark: string;
}
const stamps = new WeakMap<object, Map<string, Stamp>>();

function statOf(file: string): BigIntStats | undefined {
  // Stryker disable BlockStatement: an empty try only loses the stamp (every call then reads and compares the file: slower, same outcome); an empty catch returns undefined as this one does
  try {
    return lstatSync(file, { bigint: true });
  } catch {
    return undefined;
  }
  // Stryker restore BlockStatement
}

/** What, besides the revision, the file is rendered from and may change without it (a rename, an edit by a restore). */
function dbMark(call: Call, flowId: string): string {
  const m = contextMark(call.ws.db, flowId);
  return `${getFlow(call.ws.db, flowId)?.name ?? ''}\u0000${m}`;
}

function remember(call: Call, flowId: string, file: string, hash: string): void {
  const st = statOf(file);
  const state = getState(call.ws.db, flowId);
  let m = stamps.get(call.ws);
  if (!m) stamps.set(call.ws, (m = new Map()));
  // The file is stamped as flowmcp's only while it holds that text: another writer's file renamed in just
  // after flowmcp's (a hand edit saved then) would otherwise pass for flowmcp's and be overwritten unread.
  if (!st || !state || !st.isFile() || !holds(file, hash, st)) {
    m.delete(flowId);
    return;
  }
  m.set(flowId, { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, hash, revision: state.revision, dbMark: dbMark(call, flowId) });
}

/** Whether the file holds text of this hash, and is still the file `st` described once it was read. */
function holds(file: string, hash: string, st: BigIntStats): boolean {
  const r = readOnDisk(file);
  const after = statOf(file);
  return 'text' in r && sha(r.text) === hash && !!after && sameIdentity(after, st);
}

/** True when the file on disk and the database are as this process last left them. */
function unchangedSinceWritten(call: Call, flowId: string, file: string): boolean {
  const s = stamps.get(call.ws)?.get(flowId);
  if (!s) return false;
  const state = getState(call.ws.db, flowId);
  if (!state || state.revision !== s.revision || state.file_hash !== s.hash) return false;
  const st = statOf(file);
  if (!st || !st.isFile() || !sameIdentity(st, s)) return false;
  return dbMark(call, flowId) === s.dbMark;
}

/**
 * The file's text, or why it cannot be merged. The folder may come from a cloned repository: a
 * symlink here would read someone else's file into the database, a FIFO would hang the read (and with
 * it every session of the server), and a huge file would fill memory; each is set aside instead.
 */
function readOnDisk(file: string): { text: string } | { why: string } {
  if (lstatSync(file).isSymbolicLink()) return { why: 'it is a symbolic link' };
  const r = readFileBounded(file, MAX_CONTEXT_FILE_BYTES);
  if (!r.ok) return { why: r.reason === 'not_a_file' ? 'it is not a regular file' : `it is larger than ${MAX_CONTEXT_FILE_BYTES} bytes` };
  return { text: r.bytes.toString('utf8') };
}

function renderNow(call: Call, flowId: string): string {
  const db = call.ws.db;
  const flow = getFlow(db, flowId)!;
  // Stryker disable next-line ObjectLiteral: renderContext keeps only open entries itself; the filter here only reads fewer rows
  return serializeContext(renderContext(flow, getState(db, flowId), entriesOf(db, flowId, { states: ['open'] })));
}

/**
 * Writes the file from the database unless it already says the same. Call inside a write transaction.
 * `stillWanted` is asked just before the file is replaced (writeFileAtomic): false leaves it as it is.
 */
function writeFromDb(call: Call, flowId: string, stillWanted?: () => boolean): boolean {
  const text = renderNow(call, flowId);
  const hash = sha(text);
  const file = contextFilePath(call, flowId);
  const state = getState(call.ws.db, flowId);
  if (state?.file_hash === hash && existsSync(file)) {
    // Stryker disable next-line BooleanLiteral: no caller reads whether the file was written (syncContextFile and reconcile drop it)
    if (unchangedSinceWritten(call, flowId, file)) return false;
    const r = readOnDisk(file);
    if ('text' in r && sha(r.text) === hash) {
      remember(call, flowId, file, hash);
      // Stryker disable next-line BooleanLiteral: no caller reads whether the file was written
      return false;
    }
  }
  if (!writeFileAtomic(file, text, stillWanted)) return false;
  if (state) setWrittenFile(call.ws.db, flowId, hash, text);
  remember(call, flowId, file, hash);
  // Stryker disable next-line BooleanLiteral: no caller reads whether the file was written
  return true;
}

/**
 * After a context change commits: brings the file up to date. A flow that has no context and no file
 * gets none (a restore or import of 20,000 flows had written 20,000 empty context files, ~13 s of fsyncs).
 */
export function syncContextFile(call: Call, flowId: string): void {
  call.ws.write(() => {
    const file = contextFilePath(call, flowId);
    if (!getState(call.ws.db, flowId) && !existsSync(file)) return;
    // A hand edit written since the last merge (between that merge and this change) is left for the next
    // one: overwriting it here lost it (a red-team run: 98 of 200 hand decisions reached the database).
    // Asked again just before the file is replaced, which is after the new text's fsync.
    if (handEditPending(call, flowId, file)) return;
    writeFromDb(call, flowId, () => !handEditPending(call, flowId, file));
  });
}

/** Whether the file holds something flowmcp neither wrote nor merged: it was written since, by hand or by a tool. */
function handEditPending(call: Call, flowId: string, file: string): boolean {
  const state = getState(call.ws.db, flowId);
  if (!state?.file_hash) return false;
  const st = statOf(file);
  if (!st?.isFile()) return false; // none, or a link or FIFO: reconcile sets such a thing aside
  const s = stamps.get(call.ws)?.get(flowId);
  if (s && sameIdentity(st, s)) return false; // as this process last left it
  const r = readOnDisk(file);
  return 'text' in r && sha(r.text) !== state.file_hash;
}

const sameIdentity = (st: BigIntStats, s: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }) =>
  st.ino === s.ino && st.size === s.size && st.mtimeNs === s.mtimeNs && st.ctimeNs === s.ctimeNs;

function keepAside(file: string, why: string, now: string): string {
  const aside = `${file.replace(/\.json$/, '')}.${why}-${now.replace(/[:.]/g, '-')}.json`;
  renameSync(file, aside);
  return aside;
}

/** Parses a context file, saying where it fails: JSON position or the first field that breaks the layout. */
export function parseContextFile(text: string): { doc?: ContextFileT; error?: string } {
  // Where it fails, never what the file says there (Node's own message quotes a snippet).
  const json = parseJsonAt(text);
  if (!json.ok) return { error: `not valid JSON (line ${json.line}, column ${json.column}: ${json.message})` };
  const r = ContextFile.safeParse(json.value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { error: `${i.path.join('.') || '(top level)'}: ${i.message}` };
  }
  return { doc: r.data };
}

/**
 * Brings the database and the file into agreement before a context operation (and at server start).
 * `apply` writes merged edits to the database (inside this transaction).
 */
export function reconcileContextFile(call: Call, flowId: string, apply: (ops: MergeOp[]) => void): ReconcileReport {
  return call.ws.write(() => {
    const file = contextFilePath(call, flowId);
    const state = getState(call.ws.db, flowId);
    if (!existsSync(file)) {
      if (!state) return { outcome: 'current' }; // no context yet, no file: nothing to agree on
      writeFromDb(call, flowId);
      return { outcome: 'rewritten' };
    }
    if (state && unchangedSinceWritten(call, flowId, file)) return { outcome: 'current' };
    const read = readOnDisk(file);
    if ('why' in read) {
      const aside = keepAside(file, 'unreadable', call.ws.now());
      writeFromDb(call, flowId);
      log.warn(`context ${flowId}: ${file} was not read (${read.why}); kept as ${aside} and rewritten from the database`);
      return { outcome: 'unreadable', error: read.why, kept_aside: aside };
    }
    const onDisk = read.text;
    const current = renderNow(call, flowId);
    if (onDisk === current) {
      const hash = sha(current);
      if (state && state.file_hash !== hash) setWrittenFile(call.ws.db, flowId, hash, current);
      // Stryker disable next-line ConditionalExpression: remember only spares the next call a read (and keeps nothing without a state row); with or without it the outcome is the same
      if (state) remember(call, flowId, file, hash);
      return { outcome: 'current' };
    }
    if (state?.file_hash === sha(onDisk)) {
      // flowmcp's own older text: replaced, unless someone writes it meanwhile (then merged next time).
      writeFromDb(call, flowId, () => !handEditPending(call, flowId, file));
      return { outcome: 'rewritten' };
    }
    // Edited by hand (or written by something else).
    const readAs = statOf(file);
    const now = call.ws.now();
    const parsed = parseContextFile(onDisk);
    if (!parsed.doc) {
      const aside = keepAside(file, 'unreadable', now);
      writeFromDb(call, flowId);
      log.warn(`context ${flowId}: ${file} could not be read (${parsed.error}); kept as ${aside} and rewritten from the database`);
      return { outcome: 'unreadable', error: parsed.error, kept_aside: aside };
    }
    const base = state?.file_body ? parseContextFile(state.file_body).doc : undefined;
    const currentDoc = parseContextFile(current).doc!;
    const merged = mergeEdits(base, parsed.doc, currentDoc);
    let { ops } = merged;
    const { conflicts } = merged;
    // Edited from another file than flowmcp last wrote (an editor's buffer opened before the agent saved,
    // or before a restore, which takes the revision back): what it lacks was never seen, not removed. Only
    // its new entries are taken; the rest is kept aside. (A hand edit leaves the revision as written.)
    // Its revision and time together: a restore takes the revision back, and a save after it can bring
    // the same number again, but not the same time.
    if (base && (parsed.doc.revision !== base.revision || parsed.doc.updated_at !== base.updated_at)) {
      const left = ops.filter((o) => o.op !== 'add');
      ops = ops.filter((o) => o.op === 'add');
      if (left.length) {
        conflicts.unshift(
          `edited from revision ${parsed.doc.revision} of ${parsed.doc.updated_at} while the file flowmcp last wrote was revision ${base.revision} of ${base.updated_at}: its new entries were added; its ${left.length} other change${left.length === 1 ? '' : 's'} (closing or changing entries it may never have seen) were not applied`,
        );
      }
    }
    if (ops.length) apply(ops);
    let aside: string | undefined;
    // Written again since it was read (under this write lock only flowmcp waits; an editor does not): that
    // newer file is left in place for the next merge, not overwritten. Asked again just before the file
    // is replaced.
    const unchanged = () => {
      const since = statOf(file);
      return !readAs || !since || sameIdentity(since, readAs);
    };
    const again = () => {
      log.warn(`context ${flowId}: ${file} changed again while it was merged; the newer file is merged next time`);
      return { outcome: 'merged' as const, applied: ops.length, ...(conflicts.length ? { conflicts } : {}) };
    };
    if (!unchanged()) return again();
    if (conflicts.length) aside = keepAside(file, 'conflict', now);
    if (!writeFromDb(call, flowId, aside ? undefined : unchanged) && !aside && !unchanged()) return again();
    if (conflicts.length) log.warn(`context ${flowId}: hand edits merged with conflicts (${conflicts.join('; ')}); the edited file is kept as ${aside}`);
    return { outcome: 'merged', applied: ops.length, ...(conflicts.length ? { conflicts, kept_aside: aside } : {}) };
  });
}
