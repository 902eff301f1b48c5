// What each action of the document and search tools returns: the core functions' return types are z.infer of these.
import { z } from 'zod';
import { SEARCH_KINDS } from './document.js';

export const DocRowView = z.object({
  id: z.string(),
  path: z.string(),
  source: z.enum(['flow', 'project']),
  title: z.string(),
  size: z.number(),
  orphaned_at: z.string().nullable(),
  updated_at: z.string(),
  revision: z.number().int(),
});
export const DocView = DocRowView.extend({
  links: z.array(z.object({ target_kind: z.enum(['flow', 'plan', 'task']), target_id: z.string() })),
});

export const DocWriteResult = z.object({
  document: DocView,
  created: z.boolean(),
  replaced_revision: z.number().int().optional().describe('the revision this write replaced (left out when it created the document): a write without expected_revision always wins, this says over what'),
  linked_to: z.array(z.string()).optional().describe('links this write added (e.g. to the current plan when no target was named); left out when none'),
});
export const DocReadResult = z.object({
  document: DocView,
  content: z.string(),
  // Only when content is a part of the file: the lines it holds, how many there are, what to ask for next.
  part: z.object({ lines: z.tuple([z.number().int(), z.number().int()]), total_lines: z.number().int(), note: z.string().optional() }).optional(),
});
export const DocListResult = z.object({ documents: z.array(DocRowView), next_cursor: z.string().nullable() });
export const DocLinkResult = z.object({ document: DocView, changed: z.number().int() });
export const DocDeleteResult = z.object({
  deleted: z.object({ kind: z.literal('document'), id: z.string(), title: z.string(), source: z.enum(['flow', 'project']), file_removed: z.boolean() }),
  snapshot: z.string().optional(),
});

/** What one pass over the project's files did (whole lists: the core's own report, not a result). */
export const FileSyncReport = z.object({
  indexed: z.array(z.string()),
  unchanged: z.number().int(),
  removed: z.array(z.string()),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Files left for a later pass because this one had a budget (search's sync); 0 when complete. */
  pending: z.number().int().optional(),
});
/** document index / reindex: the pass, its lists capped, and how many vectors followed. */
export const DocIndexResult = z.object({
  report: z.object({
    indexed: z.array(z.string()),
    indexed_count: z.number().int(),
    unchanged: z.number().int(),
    removed: z.array(z.string()),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    skipped_count: z.number().int(),
    embedded_sections: z
      .object({ documents: z.number().int(), tasks: z.number().int(), plans: z.number().int(), context: z.number().int() })
      .describe('sections (chunks) given a vector by this run, by what they belong to: documents (a file has one per section), and tasks, plans and context written since the last run'),
    vectors_error: z.string().optional(),
  }),
});

export const SearchHit = z.object({
  score: z.number().min(0).max(1).describe("relevance relative to this query's best hit (1); results come best first"),
  kind: z.enum(SEARCH_KINDS),
  id: z.string(),
  title: z.string(),
  path: z.string().optional(),
  heading: z.string().optional().describe('heading path of the matched section (A › B › C); left out when it is the title'),
  lines: z.tuple([z.number().int(), z.number().int()]).optional(),
  status: z.string().optional(),
  snippet: z.string(),
  matched: z.array(z.enum(['text', 'vector'])),
});
export const SearchResult = z.object({
  results: z.array(SearchHit),
  mode: z.string(),
  /** How far the vector half reaches: chunks that have a vector from the active embedder. */
  vectors: z
    .object({
      embedder: z.string(),
      chunks: z.number().int(),
      embedded: z.number().int(),
      complete: z.boolean(),
      /** How the vector half found its chunks: sqlite-vec's exact scan, the JS exact scan, or the sign-bit screen. */
      scan: z.enum(['sqlite-vec exact', 'js exact (sqlite-vec not loaded)', 'sign-bit screen']).optional(),
    })
    .optional(),
});
/** The search tool: a search, plus the project settings that were ignored (a project cannot choose endpoints, keys or remote providers). */
export const SearchToolResult = SearchResult.extend({ notes: z.array(z.string()).optional() });

export type DocRowV = z.infer<typeof DocRowView>;
export type DocV = z.infer<typeof DocView>;
export type DocWriteResultV = z.infer<typeof DocWriteResult>;
export type DocReadResultV = z.infer<typeof DocReadResult>;
export type DocListResultV = z.infer<typeof DocListResult>;
export type DocLinkResultV = z.infer<typeof DocLinkResult>;
export type DocDeleteResultV = z.infer<typeof DocDeleteResult>;
export type FileSyncReportV = z.infer<typeof FileSyncReport>;
export type DocIndexResultV = z.infer<typeof DocIndexResult>;
export type SearchHitV = z.infer<typeof SearchHit>;
export type SearchResultV = z.infer<typeof SearchResult>;
export type SearchToolResultV = z.infer<typeof SearchToolResult>;
