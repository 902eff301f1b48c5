// The `document` tool: markdown documents that belong to the work, and project files indexed for search.
import { z } from 'zod';
import { activeEmbedder } from '../core/docs/active-embedder.js';
import { deleteDocumentOp, linkDocument, listDocumentsOp, readDocument, writeDocument } from '../core/docs/documents.js';
import { fillEmbeddings } from '../core/docs/embeddings.js';
import { indexProjectFiles, syncFiles, type IndexReport } from '../core/docs/project-index.js';
import { DocDelete, DocIndex, DocLink, DocList, DocRead, DocReindex, DocWrite } from '../core/schemas/document.js';
import { ErrorView } from '../core/schemas/results.js';
import type { Ctx } from '../core/kernel/workspace.js';
import { action, type ToolSpec } from './define.js';

const MAX_LISTED = 50;

/**
 * The text is indexed and committed by now; vectors follow. If the embedder fails, the full-text
 * index still stands and the report says what is missing (search fills the gap later).
 */
async function withVectors(ctx: Ctx, report: IndexReport) {
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

const Doc = z.object({
  id: z.string(),
  path: z.string(),
  source: z.enum(['flow', 'project']),
  title: z.string(),
  size: z.number(),
  links: z.array(z.object({ target_kind: z.string(), target_id: z.string() })).optional(),
  orphaned_at: z.string().nullable(),
  updated_at: z.string(),
  revision: z.number(),
});

export const documentTool: ToolSpec = {
  name: 'document',
  title: 'Documents (markdown notes, indexed project files)',
  description:
    'Markdown documents kept in .flow/documents/ and linked to flows/plans/tasks (default: the current plan), plus project files indexed read-only for search. ' +
    'Actions: write(path, content, flow_id?, plan_id?, task_id?) · read(path) · list(flow_id?, plan_id?, task_id?, cursor?, limit?) · link/unlink(path, flow_id?|plan_id?|task_id?) · ' +
    'delete(path, confirm:true) · index(paths: globs like "README.md", "docs/**/*.md") · reindex.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    write: action(DocWrite, writeDocument, ['path']),
    read: action(DocRead, readDocument, ['path']),
    list: action(DocList, listDocumentsOp),
    link: action(DocLink, (ctx, input) => linkDocument(ctx, input, true), ['path']),
    unlink: action(DocLink, (ctx, input) => linkDocument(ctx, input, false), ['path']),
    delete: action(DocDelete, deleteDocumentOp, ['path']),
    index: action(DocIndex, async (ctx, input) => withVectors(ctx, await indexProjectFiles(ctx, input.paths, (d, t) => ctx.progress?.(d, t, 'indexing'))), ['paths']),
    reindex: action(DocReindex, async (ctx) => withVectors(ctx, await syncFiles(ctx, { onProgress: (d, t) => ctx.progress?.(d, t, 'checking files') }))),
  },
  output: z.object({
    action: z.string().optional(),
    document: Doc.optional(),
    documents: z.array(Doc).optional(),
    content: z.string().optional(),
    created: z.boolean().optional(),
    changed: z.number().optional(),
    next_cursor: z.string().nullable().optional(),
    report: z
      .object({
        indexed: z.array(z.string()),
        indexed_count: z.number(),
        unchanged: z.number(),
        removed: z.array(z.string()),
        skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
        skipped_count: z.number(),
        embedded: z.number(),
        vectors_error: z.string().optional(),
      })
      .optional(),
    deleted: z.object({ kind: z.string(), id: z.string(), title: z.string(), file_removed: z.boolean() }).optional(),
    snapshot: z.string().optional(),
    error: ErrorView.optional(),
  }),
};
