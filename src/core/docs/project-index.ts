// Indexing the user's own project files (README.md, docs/**/*.md, …) for search, read-only: globs are
// relative to the project root and never reach outside it; oversized and binary files are skipped
// with a reason; files edited or deleted since are noticed and re-indexed or dropped.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { chunksComplete, documentsWithIncompleteChunks } from '../../store/chunks.js';
import { allDocuments, deleteDocument, getDocumentByPath } from '../../store/documents.js';
import { MAX_PROJECT_FILE_BYTES, readDocumentFile } from './doc-limits.js';
import { FlowError } from '../../model/errors.js';
import { listSome } from '../../model/error-text.js';
import { DOC_EXTENSIONS, documentsRoot, safeJoin } from './doc-paths.js';
import { indexDocumentText } from './documents.js';
import { compileGlob, normalizeGlobs } from '../../search/glob.js';
import type { FileSyncReportV } from '../schemas/document-results.js';
import type { Ctx } from '../kernel/workspace.js';

export const MAX_FILE_BYTES = MAX_PROJECT_FILE_BYTES;
const SKIP_DIRS = new Set(['node_modules', '.git', '.flow', 'dist', 'build', 'target', 'vendor', '.venv', '__pycache__', 'coverage']);
const TEXT_EXTENSIONS = /\.(md|markdown|txt|rst|adoc|ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|sh|sql|toml|yaml|yml|json)$/i;

export type IndexReport = FileSyncReportV;

function walk(root: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** Reads and indexes one project file; returns why it was skipped, if it was. */
function indexOne(ctx: Ctx, rel: string, report: IndexReport): void {
  const file = safeJoin(ctx.ws.root, rel);
  const st = statSync(file);
  if (st.size > MAX_PROJECT_FILE_BYTES) return void report.skipped.push({ path: rel, reason: `larger than ${MAX_PROJECT_FILE_BYTES} bytes` });
  if (!TEXT_EXTENSIONS.test(rel)) return void report.skipped.push({ path: rel, reason: 'not a text or source file type' });
  // Bounded: the size is checked again on the bytes actually read, so a file growing meanwhile is caught.
  const read = readDocumentFile(file, 'project');
  if (!read.ok) return void report.skipped.push({ path: rel, reason: read.why });
  if (isBinary(read.bytes)) return void report.skipped.push({ path: rel, reason: 'binary content' });
  const before = getDocumentByPath(ctx.ws.db, 'project', rel);
  const whole = before !== undefined && chunksComplete(ctx.ws.db, before.id);
  const row = ctx.ws.write(() => indexDocumentText(ctx, 'project', rel, read.text, { size: read.bytes.length, mtimeMs: st.mtimeMs }));
  if (before?.sha256 === row.sha256 && whole) report.unchanged++;
  else report.indexed.push(rel);
}

export function indexProjectFiles(ctx: Ctx, globs: string[], onProgress?: (done: number, total: number) => void): IndexReport {
  // Checked, bounded and compiled once; each matches a path in linear time (search/glob.ts).
  const patterns = normalizeGlobs(globs).map((g) => compileGlob(g));
  const all: string[] = [];
  walk(ctx.ws.root, ctx.ws.root, all);
  const matched = all.filter((p) => patterns.some((g) => g.match(p))).sort();
  if (matched.length === 0) {
    throw new FlowError('not_found', `No project files match ${listSome(globs.map((g) => JSON.stringify(g)))}.`, 'Globs are relative to the project root, e.g. "README.md", "docs/**/*.md". Hidden folders, node_modules, dist and .flow are never indexed.');
  }
  const report: IndexReport = { indexed: [], unchanged: 0, removed: [], skipped: [] };
  matched.forEach((rel, i) => {
    indexOne(ctx, rel, report);
    onProgress?.(i + 1, matched.length);
  });
  return report;
}

/**
 * Brings the index up to date with the files: project files edited since are re-indexed, deleted ones
 * dropped; flowmcp documents edited by hand in .flow/documents/ likewise. A document whose search
 * entries are missing (chunks or full-text rows) is re-read and re-indexed even if its file looks
 * untouched; a file grown past its size limit is skipped with a reason and its index left as it was.
 */
export function syncFiles(ctx: Ctx, onProgress?: (done: number, total: number) => void): IndexReport {
  const report: IndexReport = { indexed: [], unchanged: 0, removed: [], skipped: [] };
  // Documents someone put into .flow/documents/ by hand join the index (unlinked until linked).
  const known = new Set(allDocuments(ctx.ws.db, 'flow').map((d) => d.path));
  const onDisk: string[] = [];
  walk(documentsRoot(ctx), documentsRoot(ctx), onDisk);
  for (const rel of onDisk.filter((p) => !known.has(p) && DOC_EXTENSIONS.some((e) => p.toLowerCase().endsWith(e)))) {
    const file = safeJoin(documentsRoot(ctx), rel);
    const st = statSync(file);
    const read = readDocumentFile(file, 'flow');
    if (!read.ok) {
      report.skipped.push({ path: rel, reason: read.why });
      continue;
    }
    ctx.ws.write(() => indexDocumentText(ctx, 'flow', rel, read.text, { size: read.bytes.length, mtimeMs: st.mtimeMs }));
    report.indexed.push(rel);
  }
  const incomplete = documentsWithIncompleteChunks(ctx.ws.db);
  const rows = [...allDocuments(ctx.ws.db, 'project'), ...allDocuments(ctx.ws.db, 'flow').filter((d) => known.has(d.path))];
  rows.forEach((row, i) => {
    const root = row.source === 'project' ? ctx.ws.root : documentsRoot(ctx);
    let st;
    try {
      st = statSync(safeJoin(root, row.path));
    } catch {
      st = undefined;
    }
    if (!st) {
      ctx.ws.write(() => deleteDocument(ctx.ws.db, row.id));
      report.removed.push(row.path);
    } else if (st.size !== row.size || st.mtimeMs !== row.mtime_ms || incomplete.has(row.id)) {
      const read = readDocumentFile(safeJoin(root, row.path), row.source);
      if (!read.ok) report.skipped.push({ path: row.path, reason: `${read.why} (${read.size} bytes); its index is left as it was` });
      else {
        const after = ctx.ws.write(() => indexDocumentText(ctx, row.source, row.path, read.text, { size: read.bytes.length, mtimeMs: st.mtimeMs }));
        if (after.sha256 !== row.sha256 || incomplete.has(row.id)) report.indexed.push(row.path);
        else report.unchanged++;
      }
    } else report.unchanged++;
    onProgress?.(i + 1, rows.length);
  });
  return report;
}
