// The `search` tool: one query across documents, tasks, plans and context, by words and by meaning.
import { z } from 'zod';
import { activeEmbedder } from '../core/docs/active-embedder.js';
import { projectConfigNotes } from '../core/kernel/config.js';
import { Search } from '../core/schemas/document.js';
import { ErrorView } from '../core/schemas/results.js';
import { search } from '../core/docs/search.js';
import { syncIfStale } from '../core/docs/sync-throttle.js';
import { action, type ToolSpec } from './define.js';

export const searchTool: ToolSpec = {
  name: 'search',
  title: 'Search documents, tasks, plans and context',
  description:
    'Hybrid search (full text + vectors, fused) over documents, tasks, plans and context (decisions, summaries, questions). Filters apply before the top-k cut. ' +
    'Args: query, k? (default 10), kind? document|task|plan|context, flow_id?, plan_id?, path? (glob). Results say which mode answered.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  actionless: true,
  actions: {
    query: action(
      Search,
      async (ctx, input) => {
        // Bounded: a search indexes at most a few new or changed files, and says when more are waiting.
        const sync = await syncIfStale(ctx);
        const result = await search(ctx, input, activeEmbedder(ctx.ws));
        // Settings the project's config tried to choose and was not allowed to are said where the user looks.
        const notes = [...(sync.note ? [sync.note] : []), ...projectConfigNotes(ctx.ws)];
        return notes.length ? { ...result, notes } : result;
      },
      ['query'],
    ),
  },
  output: z.object({
    results: z
      .array(
        z.object({
          score: z.number(),
          kind: z.string(),
          id: z.string(),
          title: z.string(),
          path: z.string().optional(),
          heading: z.string().optional(),
          lines: z.array(z.number()).optional(),
          status: z.string().optional(),
          snippet: z.string(),
          matched: z.array(z.string()),
        }),
      )
      .optional(),
    mode: z.string().optional(),
    vectors: z.object({ embedder: z.string(), chunks: z.number(), embedded: z.number(), complete: z.boolean() }).optional(),
    /** Settings in .flow/config.json that were ignored (a project cannot choose endpoints, keys or remote providers), and whether indexing is still catching up with the files. */
    notes: z.array(z.string()).optional(),
    error: ErrorView.optional(),
  }),
};
