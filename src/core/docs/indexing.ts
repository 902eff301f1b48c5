// document index / reindex: one pass over the project's files (committed), then their vectors. If the
// embedder fails, the full-text index still stands and the report says what is missing (search fills
// the gap later).
import { activeEmbedder } from './active-embedder.js';
import { fillEmbeddings } from './embeddings.js';
import { indexProjectFiles, syncFiles, type IndexReport } from './project-index.js';
import type { DocIndexResultV } from '../schemas/document-results.js';
import type { DocIndexInput, DocReindexInput } from '../schemas/document.js';
import type { Ctx } from '../kernel/workspace.js';

/** Longest list a report shows (the counts say how many there were). */
const MAX_LISTED = 50;

async function withVectors(ctx: Ctx, report: IndexReport): Promise<DocIndexResultV> {
  let filled = { embedded: 0 };
  let vectorsError: string | undefined;
  try {
    const embedder = activeEmbedder(ctx.ws);
    if (embedder) filled = await fillEmbeddings(ctx, embedder, { onProgress: (d, t) => ctx.progress?.(d, t, 'embedding') });
  } catch (e) {
    vectorsError = `vectors not computed (${(e as Error).message}); full-text search works, vectors are retried on the next search`;
  }
  return {
    report: {
      indexed: report.indexed.slice(0, MAX_LISTED),
      indexed_count: report.indexed.length,
      unchanged: report.unchanged,
      removed: report.removed.slice(0, MAX_LISTED),
      skipped: report.skipped.slice(0, MAX_LISTED),
      skipped_count: report.skipped.length,
      embedded: filled.embedded,
      ...(vectorsError ? { vectors_error: vectorsError } : {}),
    },
  };
}

/** document index: the project files matching the globs join the index, then get vectors. */
export async function indexDocuments(ctx: Ctx, input: DocIndexInput): Promise<DocIndexResultV> {
  return withVectors(ctx, await indexProjectFiles(ctx, input.paths, (d, t) => ctx.progress?.(d, t, 'indexing')));
}

/** document reindex: every indexed file checked against the disk (changed, new, gone), then vectors. */
export async function reindexDocuments(ctx: Ctx, _input: DocReindexInput): Promise<DocIndexResultV> {
  return withVectors(ctx, await syncFiles(ctx, { onProgress: (d, t) => ctx.progress?.(d, t, 'checking files') }));
}
