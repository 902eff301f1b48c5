// Indexing the user's own project files (README.md, docs/**/*.md, …) for search, read-only: globs are
// relative to the project root and never reach outside it; oversized, binary, hard-linked, too deep and
// too long-named files are skipped with a reason; files edited or deleted since are noticed and
// re-indexed or dropped.
//
// One caller cannot stall the others (in team mode one process serves every session on one event
// loop): the work is written as a generator that pauses at safe points — never inside a transaction —
// and is driven either cooperatively (`await`: yields to the event loop every few milliseconds, so other
// sessions' calls and progress notifications go out meanwhile) or straight through (drain: for recover,
// which holds the project alone). Files are read outside any transaction and written in batches: one
// short write transaction (one fsync) per batch of files, not one per file.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chunksComplete, documentsWithIncompleteChunks } from '../../store/chunks.js';
import { deleteDocument, documentStamps, getDocumentByPath } from '../../store/documents.js';
import { FileStamps } from './file-stamps.js';
import { MAX_PROJECT_FILE_BYTES, readDocumentFile } from './doc-limits.js';
import { FlowError } from '../../model/errors.js';
import { DOC_EXTENSIONS, MAX_PATH, documentsRoot, normalizeRelPath, safeJoin } from './doc-paths.js';
import { indexDocumentText } from './documents.js';
import { compileGlob, normalizeGlobs, type Glob } from '../../search/glob.js';
import type { FileSyncReportV } from '../schemas/document-results.js';
import type { Call } from '../kernel/workspace.js';
import { immediateTurn, type Turn } from '../../background-turns.js';
import { record } from '../kernel/events.js';
import { clip, listSome } from '../../model/error-text.js';
import { counted } from '../../model/counted.js';

export const MAX_FILE_BYTES = MAX_PROJECT_FILE_BYTES;
/** Why a symbolic link, of a file or on the way to one, is passed over. */
const LINK_NOT_FOLLOWED = 'a symbolic link (never followed: it could lead outside the project)';
/** Deepest folder level a walk looks into (a 500-level tree is a trap, not documentation). */
export const MAX_WALK_DEPTH = 64;
const SKIP_DIRS = new Set(['node_modules', '.git', '.flow', 'dist', 'build', 'target', 'vendor', '.venv', '__pycache__', 'coverage']);
const TEXT_EXTENSIONS = /\.(md|markdown|txt|rst|adoc|ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|sh|sql|toml|yaml|yml|json)$/i;

/** Work between two chances for other callers to run (cooperative mode). */
const SLICE_MS = 8;
/** A batch is written once it holds this many files or bytes of text… */
const BATCH_FILES = 200;
const BATCH_BYTES = 2_000_000;
/** …and one write transaction stops taking files from it after this long (the rest go in the next one). */
const TX_MS = 15;
/** Progress is reported at most this often (and at the end). */
const PROGRESS_MS = 100;

export type IndexReport = FileSyncReportV;

type Progress = (done: number, total: number) => void;
/** A step of work: yields at points where no transaction is open and pausing is safe. */
type Steps<T> = Generator<void, T, void>;

/**
 * Runs steps, giving the event loop a turn every SLICE_MS of work: by default at once (a caller's own
 * indexing), or as background work does, after the calls (`nextTurn`, for a server's file check).
 */
export async function cooperative<T>(steps: Steps<T>, turn: Turn = immediateTurn): Promise<T> {
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    // Stryker disable next-line EqualityOperator: > or >= at the exact millisecond only moves a pause by one step
    if (performance.now() - since >= SLICE_MS) {
      await turn();
      since = performance.now();
    }
  }
}

/** Runs steps straight through, without yielding (for a caller that holds the project alone). */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A progress callback called at most every PROGRESS_MS, and always for the last item. */
function throttled(onProgress: Progress | undefined): Progress | undefined {
  if (!onProgress) return undefined;
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done >= total || now - last >= PROGRESS_MS) {
      last = now;
      onProgress(done, total);
    }
  };
}

/** A long path shown in a report without its whole length. */
function shown(rel: string): string {
  return rel.length > 120 ? `${rel.slice(0, 60)}…${rel.slice(-50)}` : rel;
}

/**
 * Why a found file's path cannot be a document path (the same rules `document read/link/delete` apply),
 * or undefined if it can.
 */
function pathProblem(rel: string): string | undefined {
  if (rel.length > MAX_PATH) return `its path is ${rel.length} characters long; document paths are at most ${MAX_PATH}`;
  try {
    if (normalizeRelPath(rel) !== rel) return 'its name is not in normal form (Unicode NFC, no leading or trailing spaces), so no document command could name it';
  } catch (e) {
    // Stryker disable next-line MethodExpression: no path message starts or ends with a quoted part, so trim() has nothing to cut
    return `its name cannot be used as a document path (${(e as Error).message.replace(/"[^"]*"/g, '').replace(/\s+/g, ' ').trim()})`;
  }
  return undefined;
}

/**
 * Walks root from `starts` (relative folders, '' for root) looking only into folders `enter` allows,
 * collecting regular files `want` accepts. Hidden entries and SKIP_DIRS are never entered, symlinks
 * never followed; folders deeper than MAX_WALK_DEPTH are reported, not read. Pauses after each folder.
 */
function* walk(
  root: string,
  starts: string[],
  enter: (dir: string) => boolean,
  want: (rel: string) => boolean,
  out: string[],
  skipped: IndexReport['skipped'],
): Steps<void> {
  const stack = [...starts].reverse();
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(root, ...dir.split('/')), { withFileTypes: true }); // '' joins to root itself
    } catch {
      continue;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!enter(rel)) continue;
        if (rel.split('/').length > MAX_WALK_DEPTH) skipped.push({ path: shown(rel), reason: `folder deeper than ${MAX_WALK_DEPTH} levels; not looked into` });
        else if (rel.length >= MAX_PATH) skipped.push({ path: shown(rel), reason: `folder path already ${rel.length} characters long; document paths are at most ${MAX_PATH}; not looked into` });
        else subdirs.push(rel);
      } else if (e.isFile() && want(rel)) out.push(rel);
      // A link the globs could look into is said too ("docs/**/*.md" with docs/api → elsewhere): its target
      // is never stat'ed, so whether it leads to a folder or a file outside is not told either.
      else if (e.isSymbolicLink() && (want(rel) || enter(rel))) skipped.push({ path: shown(rel), reason: LINK_NOT_FOLLOWED });
      // A FIFO, socket or device a glob names is never opened (a FIFO would hold the read), and says so.
      else if (!e.isDirectory() && want(rel)) skipped.push({ path: shown(rel), reason: 'not a regular file (a pipe, socket or device); never opened' });
    }
    // Stryker disable next-line ArithmeticOperator: starting past the end pushes undefined, which the readdir try passes over
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    yield;
  }
}

/** Where walks for these globs start: each glob's literal folder, minus those inside another one. */
function startDirs(root: string, globs: Glob[], skipped: IndexReport['skipped']): string[] {
  const bases = [...new Set(globs.map((g) => g.baseDir))].sort();
  const starts: string[] = [];
  for (const b of bases) {
    // (bases are distinct: the Set above made them so)
    if (starts.some((s) => s === '' || b.startsWith(`${s}/`))) continue;
    // The way there must be real folders: no symlink, nothing hidden or skipped (as the walk itself would).
    const segs = b === '' ? [] : b.split('/');
    let ok = true;
    for (let i = 1; i <= segs.length && ok; i++) {
      if (SKIP_DIRS.has(segs[i - 1]!)) ok = false;
      else {
        const st = lstatSync(join(root, ...segs.slice(0, i)), { throwIfNoEntry: false });
        ok = st?.isDirectory() === true;
        // Named on the way to a glob's files, a link is said, not passed over in silence ("no files match").
        const path = shown(segs.slice(0, i).join('/'));
        if (st?.isSymbolicLink() && !skipped.some((x) => x.path === path)) skipped.push({ path, reason: LINK_NOT_FOLLOWED });
      }
    }
    if (ok) starts.push(b);
  }
  return starts;
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

interface Prepared {
  source: 'flow' | 'project';
  path: string;
  text?: string;
  size: number;
  mtimeMs: number;
  /** Set to remove this row (its file is gone) instead of indexing. */
  removeId?: string;
}

/**
 * Files read and waiting to be written: written in batches, each in one short write transaction that
 * takes files until TX_MS has passed. flush() pauses between transactions, never inside one.
 */
class Batch {
  private items: Prepared[] = [];
  private bytes = 0;
  constructor(
    private readonly call: Call,
    private readonly report: IndexReport,
  ) {}

  *add(p: Prepared): Steps<void> {
    this.items.push(p);
    this.bytes += p.text?.length ?? 0;
    if (this.items.length >= BATCH_FILES || this.bytes >= BATCH_BYTES) yield* this.flush();
  }

  *flush(): Steps<void> {
    while (this.items.length) {
      const db = this.call.ws.db;
      const n = this.call.ws.write(() => {
        const t0 = performance.now();
        let i = 0;
        const indexed: { id: string; path: string }[] = [];
        const removed: { id: string; path: string }[] = [];
        for (; i < this.items.length && (i === 0 || performance.now() - t0 < TX_MS); i++) {
          const p = this.items[i]!;
          if (p.removeId !== undefined) {
            deleteDocument(db, p.removeId);
            this.report.removed.push(p.path);
            removed.push({ id: p.removeId, path: p.path });
            continue;
          }
          // Compared inside the transaction, so what is said is what was written.
          const before = getDocumentByPath(db, p.source, p.path);
          const whole = before !== undefined && chunksComplete(db, before.id);
          const row = indexDocumentText(this.call, p.source, p.path, p.text!, { size: p.size, mtimeMs: p.mtimeMs });
          if (before?.sha256 === row.sha256 && whole) this.report.unchanged++;
          else {
            this.report.indexed.push(p.path);
            indexed.push({ id: row.id, path: p.path });
          }
        }
        // Files read from disk change what search finds: said in the event log like every change.
        if (indexed.length || removed.length) recordIndexed(this.call, indexed, removed);
        return i;
      });
      for (const p of this.items.splice(0, n)) this.bytes -= p.text?.length ?? 0;
      yield;
    }
  }
}

/** Reads one project file for indexing; pushes why it was skipped, if it was. */
function readProjectFile(call: Call, rel: string, report: IndexReport): Prepared | undefined {
  const skip = (reason: string) => void report.skipped.push({ path: shown(rel), reason });
  const problem = pathProblem(rel);
  if (problem) return skip(problem);
  if (!TEXT_EXTENSIONS.test(rel)) return skip('not a text or source file type');
  let file: string;
  let st;
  try {
    file = safeJoin(call.ws.root, rel);
    st = statSync(file);
  } catch (e) {
    return skip(e instanceof FlowError ? e.message : 'gone while indexing');
  }
  if (st.size > MAX_PROJECT_FILE_BYTES) return skip(`larger than ${MAX_PROJECT_FILE_BYTES} bytes`);
  // Bounded: the size is checked again on the bytes actually read, so a file growing meanwhile is caught;
  // a hard link (a second name for a file that may live outside the project) is refused on the open file.
  let read;
  try {
    read = readDocumentFile(file, 'project');
  } catch {
    return skip('gone while indexing');
  }
  if (!read.ok) return skip(read.why);
  if (isBinary(read.bytes)) return skip('binary content');
  return { source: 'project', path: rel, text: read.text, size: read.bytes.length, mtimeMs: st.mtimeMs };
}

function isFolder(root: string, rel: string): boolean {
  try {
    return statSync(safeJoin(root, rel)).isDirectory();
  } catch {
    return false;
  }
}

function* indexSteps(call: Call, globs: string[], onProgress?: Progress): Steps<IndexReport> {
  // Checked, bounded and compiled once; each matches a path in linear time (search/glob.ts).
  const sources = normalizeGlobs(globs);
  const patterns = sources.map((g) => compileGlob(g));
  const report: IndexReport = { indexed: [], unchanged: 0, removed: [], skipped: [] };
  const found: string[] = [];
  const hit = patterns.map(() => false);
  // Only folders some glob could match inside are read: "README.md" reads the root folder alone.
  yield* walk(
    call.ws.root,
    startDirs(call.ws.root, patterns, report.skipped),
    (dir) => patterns.some((g) => g.couldMatchUnder(dir)),
    (rel) => {
      // Which globs found anything, for the report: a glob known to find files is not tested again
      // once this path is in.
      let ok = false;
      for (let i = 0; i < patterns.length; i++) {
        if (hit[i] && ok) continue;
        if (patterns[i]!.match(rel)) hit[i] = ok = true;
      }
      return ok;
    },
    found,
    report.skipped,
  );
  const matched = found.sort();
  // A glob naming a folder matches no file: say how to name its files (the usual slip: "docs").
  const folders = sources.filter((g, i) => !hit[i] && !/[*?]/.test(g) && isFolder(call.ws.root, g));
  if (matched.length === 0) {
    const asFiles = folders.length ? ` ${listSome(folders.map((g) => JSON.stringify(g)))} ${folders.length === 1 ? 'is a folder' : 'are folders'}: name the files in it, e.g. ${JSON.stringify(`${folders[0]}/**/*.md`)}.` : '';
    throw new FlowError(
      'not_found',
      `No project files match ${listSome(globs.map((g) => JSON.stringify(g)))}.${asFiles}${report.skipped.length ? ` Passed over: ${listSome(report.skipped.map((s) => `${s.path} (${s.reason})`))}.` : ''}`,
      'Globs are relative to the project root, e.g. "README.md", "docs/**/*.md". Hidden folders, node_modules, dist and .flow are never indexed.',
    );
  }
  // Some globs found files and others none (a typo, a folder): each one that found nothing is said in
  // the report, not passed over in silence.
  sources.forEach((src, i) => {
    if (hit[i]) return;
    report.skipped.push({ path: src, reason: folders.includes(src) ? `a folder: name its files, e.g. "${src}/**/*.md"` : 'no project file matches this glob' });
  });
  const progress = throttled(onProgress);
  const batch = new Batch(call, report);
  for (let i = 0; i < matched.length; i++) {
    const p = readProjectFile(call, matched[i]!, report);
    if (p) yield* batch.add(p);
    progress?.(i + 1, matched.length);
    yield;
  }
  yield* batch.flush();
  return report;
}

/**
 * Indexes the project files the globs match. Cooperative: other callers are served while it runs,
 * and progress is reported as it goes. Files are written in batches, one short transaction each.
 */
export function indexProjectFiles(call: Call, globs: string[], onProgress?: Progress): Promise<IndexReport> {
  return cooperative(indexSteps(call, globs, onProgress));
}

export interface SyncOptions {
  onProgress?: Progress;
  /** Most files read and (re)indexed in this pass; the rest are counted in `pending` for a later one. */
  budget?: number;
  /** How it hands the event loop on between slices (a check beside the calls gives way to them). */
  turn?: Turn;
}

function* syncSteps(call: Call, opts: SyncOptions): Steps<IndexReport> {
  const db = call.ws.db;
  const report: IndexReport = { indexed: [], unchanged: 0, removed: [], skipped: [], pending: 0 };
  let budget = opts.budget ?? Infinity;
  const batch = new Batch(call, report);
  const docsRoot = documentsRoot(call);
  // Documents someone put into .flow/documents/ by hand join the index (unlinked until linked).
  const rows = documentStamps(db);
  const known = new Set(rows.filter((d) => d.source === 'flow').map((d) => d.path));
  const onDisk: string[] = [];
  yield* walk(docsRoot, [''], () => true, (p) => !known.has(p) && DOC_EXTENSIONS.some((e) => p.toLowerCase().endsWith(e)), onDisk, report.skipped);
  yield;
  const incomplete = yield* documentsWithIncompleteChunks(db);
  const stamps = { project: new FileStamps(call.ws.root), flow: new FileStamps(docsRoot) };
  const total = onDisk.length + rows.length;
  const progress = throttled(opts.onProgress);
  let done = 0;
  for (const rel of onDisk.sort()) {
    done++;
    const problem = pathProblem(rel);
    if (problem) {
      report.skipped.push({ path: shown(rel), reason: problem });
      continue;
    }
    if (budget <= 0) {
      report.pending!++;
      continue;
    }
    budget--;
    try {
      const file = safeJoin(docsRoot, rel);
      const st = statSync(file);
      const read = readDocumentFile(file, 'flow');
      if (!read.ok) report.skipped.push({ path: shown(rel), reason: read.why });
      else yield* batch.add({ source: 'flow', path: rel, text: read.text, size: read.bytes.length, mtimeMs: st.mtimeMs });
    } catch (e) {
      report.skipped.push({ path: shown(rel), reason: e instanceof FlowError ? e.message : 'gone while indexing' });
    }
    progress?.(done, total);
    yield;
  }
  for (const row of rows) {
    done++;
    const root = row.source === 'project' ? call.ws.root : docsRoot;
    const st = stamps[row.source].of(row.path);
    if (!st) yield* batch.add({ source: row.source, path: row.path, size: 0, mtimeMs: 0, removeId: row.id });
    else if (st.size !== row.size || st.mtimeMs !== row.mtime_ms || incomplete.has(row.id)) {
      if (budget <= 0) report.pending!++;
      else {
        budget--;
        let read;
        try {
          read = readDocumentFile(safeJoin(root, row.path), row.source);
        } catch {
          read = undefined; // gone since the stat: the next pass drops it
        }
        if (read && !read.ok) report.skipped.push({ path: row.path, reason: `${read.why} (${read.size} bytes); its index is left as it was` });
        else if (read) yield* batch.add({ source: row.source, path: row.path, text: read.text, size: read.bytes.length, mtimeMs: st.mtimeMs });
      }
    } else report.unchanged++;
    progress?.(done, total);
    yield;
  }
  yield* batch.flush();
  return report;
}

/**
 * Brings the index up to date with the files: project files edited since are re-indexed, deleted ones
 * dropped; flowmcp documents edited by hand in .flow/documents/ likewise. A document whose search
 * entries are missing (chunks or full-text rows) is re-read and re-indexed even if its file looks
 * untouched; a file grown past its size limit is skipped with a reason and its index left as it was.
 * Cooperative, like indexProjectFiles; with a budget, at most that many files are read in this pass.
 */
export function syncFiles(call: Call, opts: SyncOptions = {}): Promise<IndexReport> {
  return cooperative(syncSteps(call, opts), opts.turn);
}

/** syncFiles straight through, for a caller that holds the project alone (recover). */
export function syncFilesNow(call: Call): IndexReport {
  return drain(syncSteps(call, {}));
}

/** The event of one indexing transaction: which files it (re)indexed and which it dropped. */
function recordIndexed(call: Call, indexed: { id: string; path: string }[], removed: { id: string; path: string }[]): void {
  const one = indexed.length + removed.length === 1 ? (indexed[0] ?? removed[0])! : undefined;
  const parts = [
    indexed.length ? `indexed ${counted(indexed.length, 'file')} (${clip(listSome(indexed.map((d) => d.path), 3), 160)})` : '',
    removed.length ? `dropped ${removed.length} gone from disk (${clip(listSome(removed.map((d) => d.path), 3), 160)})` : '',
  ];
  record(call, {
    action: 'document.index',
    entity: 'document',
    entity_id: one?.id ?? 'documents',
    flow_id: null,
    summary: parts.filter(Boolean).join('; '),
  });
}
