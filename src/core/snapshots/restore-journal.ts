// The file half of a restore that a crash interrupted: a journal names the temporary files written
// before the database transaction commits; the transaction stores the journal's token. Whoever next
// holds the write lock (the next open, the next restore, the restoring process itself right after
// its commit) finishes a committed restore's renames or removes an uncommitted one's temporary files.
//
// The journal lives in .flow/, which a cloned repository may have written: it is parsed by a schema
// and every entry must name a restore temporary file and its target inside .flow/documents/ (no
// `..`, no symlink leading out, the temporary name exactly as restore writes it). A journal with any
// other entry is acted on not at all: it is kept aside as restore-journal.rejected-<time>.json and
// reported on stderr, and no file anywhere is touched.
import { parseJsonBounded } from '../../json-depth.js';
import { existsSync, lstatSync, renameSync, rmSync } from 'node:fs';
import { readFileBounded } from '../../store/bounded-file.js';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { hostname } from 'node:os';
import { z } from 'zod';
import { log } from '../../log.js';
import { fsyncDir } from '../../store/atomic-file.js';
import type { Db } from '../../store/db.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { DOC_EXTENSIONS, normalizeRelPath, safeJoin } from '../docs/doc-paths.js';

export const PENDING = 'pending_restore';
export const journalPath = (flowDir: string) => join(flowDir, 'restore-journal.json');
const documentsDir = (flowDir: string) => join(flowDir, 'documents');

/** The suffix restore gives a document's temporary file: `<final>.restore-<8 hex>`. */
export const TMP_SUFFIX = /^\.restore-[0-9a-f]{8}$/;

const JournalSchema = z
  .object({
    token: z.string().min(1).max(200),
    /** [temporary, final]: paths relative to .flow/documents/ (older journals: absolute paths inside it). */
    renames: z.array(z.tuple([z.string().min(1).max(4096), z.string().min(1).max(4096)])).max(1_000_000),
    /** The restoring process: while it lives, its uncommitted journal is its own business. */
    pid: z.number().int().positive(),
    host: z.string().max(1000),
  })
  .strict();

export type Journal = z.infer<typeof JournalSchema>;

function alive(j: Journal): boolean {
  if (j.host !== hostname() || j.pid === process.pid) return false;
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A journal path as a path relative to .flow/documents/, or why it may not be acted on. */
function relInside(docs: string, p: string): string | { bad: string } {
  let rel = p;
  if (isAbsolute(p)) {
    rel = relative(docs, p);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { bad: `${p} is outside .flow/documents/` };
    rel = rel.split(sep).join('/');
  }
  try {
    if (normalizeRelPath(rel) !== rel) return { bad: `${p} is not a plain relative path` };
  } catch {
    return { bad: `${p} is not a plain relative path inside .flow/documents/` };
  }
  return rel;
}

/** The absolute [tmp, final] of one entry, checked; or why it is refused. */
function checkEntry(docs: string, [tmp, final]: [string, string]): [string, string] | string {
  const f = relInside(docs, final);
  const t = relInside(docs, tmp);
  if (typeof f !== 'string') return f.bad;
  if (typeof t !== 'string') return t.bad;
  if (!DOC_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e))) return `${final} is not a document file`;
  if (!t.startsWith(f) || !TMP_SUFFIX.test(t.slice(f.length))) return `${tmp} is not a restore temporary file of ${final}`;
  let absT: string;
  let absF: string;
  try {
    absF = safeJoin(docs, f);
    absT = safeJoin(docs, t);
  } catch (e) {
    return (e as Error).message;
  }
  // Only regular files are renamed or removed; a symlink or folder planted under these names is not ours.
  for (const [abs, shown] of [[absT, tmp], [absF, final]] as const) {
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (st && !st.isFile()) return `${shown} is not a regular file`;
  }
  return [absT, absF];
}

function keepAside(file: string, why: string): void {
  const aside = join(dirname(file), `restore-journal.rejected-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  try {
    renameSync(file, aside);
    log.error(`${file} was not acted on (${why}); no file was touched. It is kept as ${aside}: look at it, then delete it.`);
  } catch (e) {
    log.error(`${file} was not acted on (${why}), and could not be moved aside (${(e as Error).message}); no file was touched.`);
  }
}

/**
 * Finishes the file half of a restore whose database half committed, or undoes one that did not.
 * Call holding the database write lock (inside a write transaction), so no restore is half-way.
 */
/** Two paths per restored document: far more than any restore of a real project writes. */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;

export function finishPendingRestore(flowDir: string, db: Db): void {
  const file = journalPath(flowDir);
  if (!existsSync(file)) return;
  let j: Journal;
  try {
    const read = readFileBounded(file, MAX_JOURNAL_BYTES);
    if (!read.ok) return keepAside(file, read.reason === 'too_large' ? `it is ${read.size} bytes, more than any restore writes` : 'it is not a regular file');
    const parsed = JournalSchema.safeParse(parseJsonBounded(read.bytes.toString('utf8')));
    if (!parsed.success) return keepAside(file, `it is not a restore journal: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    j = parsed.data;
  } catch (e) {
    return keepAside(file, `it does not parse: ${(e as Error).message}`);
  }
  const docs = documentsDir(flowDir);
  const entries: [string, string][] = [];
  for (const entry of j.renames) {
    const ok = existsSync(docs) ? checkEntry(docs, entry) : 'there is no .flow/documents/ folder';
    if (typeof ok === 'string') return keepAside(file, `an entry names a file flowmcp's restore does not write: ${ok}`);
    entries.push(ok);
  }
  const committed = getSetting(db, PENDING) === j.token;
  if (!committed && alive(j)) return; // its own process is still cleaning up after a failed restore
  if (committed) {
    for (const [tmp, final] of entries) {
      if (!existsSync(tmp)) continue; // renamed already: a crash cut the renames short
      renameSync(tmp, final);
      fsyncDir(dirname(final));
    }
    // Durable when the transaction this runs in commits: after the journal is gone (below).
    setSetting(db, PENDING, null);
  } else {
    // A temporary file may be gone already: a crash came between a failed restore's cleanup of its
    // temporary files and of its journal.
    for (const [tmp] of entries) rmSync(tmp, { force: true });
  }
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: the journal was read above under this same lock; force matters only if something outside flowmcp removed it in between
  rmSync(file, { force: true });
}

/** The journal restore writes: paths relative to .flow/documents/. */
export function journalText(flowDir: string, token: string, renames: [string, string][]): string {
  const docs = documentsDir(flowDir);
  const rel = (p: string) => relative(docs, p).split(sep).join('/');
  return JSON.stringify({ token, renames: renames.map(([t, f]) => [rel(t), rel(f)]), pid: process.pid, host: hostname() } satisfies Journal);
}
