// document index / reindex: one pass over the project's files (committed), then their vectors. If the
// embedder fails, the full-text index still stands and the report says what is missing (search fills
// the gap later).
import { activeEmbedder } from './active-embedder.js';
import { FILE_AFTER_ROWS, saveVectorScreen, warmVectorIndex } from '../../search/vector-index.js';
import { isLongRunning } from '../kernel/long-running.js';
import { fillEmbeddings, forgetSuperseded } from './embeddings.js';
import { indexProjectFiles, syncFiles, type IndexReport } from './project-index.js';
import type { DocIndexResultV } from '../schemas/document-results.js';
import type { DocIndexInput, DocReindexInput } from '../schemas/document.js';
import type { Call } from '../kernel/workspace.js';
import { immediateTurn } from '../../background-turns.js';

/** Vectors embedded in one run past which the screen is prepared at once (~0.1 s a 10k rows): as many as make its file worth writing. */
const SCREEN_AFTER = FILE_AFTER_ROWS;

/** Longest list a report shows (the counts say how many there were). */
const MAX_LISTED = 50;

async function withVectors(call: Call, report: IndexReport): Promise<DocIndexResultV> {
  let filled = { byKind: { document: 0, task: 0, plan: 0, context: 0 } };
  let vectorsError: string | undefined;
  try {
    const embedder = activeEmbedder(call.ws);
    if (embedder) {
      filled = await fillEmbeddings(call, embedder, { onProgress: (d, t) => call.progress?.(d, t, 'embedding'), turn: immediateTurn });
      // After a big embedding run the vector screen is prepared for the next search: beside a server's
      // calls, or (a one-shot command, about to exit) written to its file now.
      if (Object.values(filled.byKind).reduce((a, b) => a + b, 0) >= SCREEN_AFTER) {
        if (isLongRunning(call.ws)) void warmVectorIndex(call.ws.db, embedder.id, embedder.dim).catch(() => undefined);
        else await saveVectorScreen(call.ws.db, embedder.id, embedder.dim);
      }
      // A one-shot command exits before a clean-up left to run beside it would; a server's goes on beside.
      const cleanup = forgetSuperseded(call, embedder);
      if (!isLongRunning(call.ws)) await cleanup;
    }
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
      // Vectors are filled for every section still without one, the tasks, plans and context written
      // since the last pass as well as these files: counted by what they belong to, never as one number.
      embedded_sections: { documents: filled.byKind.document, tasks: filled.byKind.task, plans: filled.byKind.plan, context: filled.byKind.context },
      ...(vectorsError ? { vectors_error: vectorsError } : {}),
    },
  };
}

/** document index: the project files matching the globs join the index, then get vectors. */
export async function indexDocuments(call: Call, input: DocIndexInput): Promise<DocIndexResultV> {
  return withVectors(call, await indexProjectFiles(call, input.paths, (d, t) => call.progress?.(d, t, 'indexing')));
}

/** document reindex: every indexed file checked against the disk (changed, new, gone), then vectors. */
export async function reindexDocuments(call: Call, _input: DocReindexInput): Promise<DocIndexResultV> {
  return withVectors(call, await syncFiles(call, { onProgress: (d, t) => call.progress?.(d, t, 'checking files') }));
}
