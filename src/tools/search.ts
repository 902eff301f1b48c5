// The `search` tool: one query across documents, tasks, plans and context, by words and by meaning.
import { Search } from '../core/schemas/document.js';
import { SearchToolResult } from '../core/schemas/document-results.js';
import { searchProject } from '../core/docs/search.js';
import { action, type ToolSpec } from './define.js';

export const searchTool: ToolSpec = {
  name: 'search',
  title: 'Search documents, tasks, plans and context',
  description:
    'Hybrid search (full text + vectors) over documents, tasks, plans and context entries. Filters apply before the top-k cut. ' +
    'Args: query, k? (default 10), kind? document|task|plan|context, flow_id?, plan_id?, path? (glob).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  actionless: true,
  actions: {
    query: action(Search, SearchToolResult, searchProject, ['query']),
  },
};
