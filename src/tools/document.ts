// The `document` tool: markdown documents that belong to the work, and project files indexed for search.
import { removeDocument, linkDocument, documentsPage, readDocument, writeDocument } from '../core/docs/documents.js';
import { indexDocuments, reindexDocuments } from '../core/docs/indexing.js';
import { DocDelete, DocIndex, DocLink, DocList, DocRead, DocReindex, DocWrite } from '../core/schemas/document.js';
import {
  DocDeleteResult,
  DocIndexResult,
  DocLinkResult,
  DocListResult,
  DocReadResult,
  DocWriteResult,
} from '../core/schemas/document-results.js';
import { action, type ToolSpec } from './define.js';

export const documentTool: ToolSpec = {
  name: 'document',
  title: 'Documents (markdown notes, indexed project files)',
  description:
    'Markdown notes in .flow/documents/ and project files indexed read-only. T: flow_id?|plan_id?|task_id?. ' +
    'write(path, content, T (default: current plan), expected_revision?) · read(path, lines?) · list(T, cursor?) · ' +
    'link/unlink(path, T) · delete(path, confirm:true) · index(paths: globs) · reindex.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    write: action(DocWrite, DocWriteResult, writeDocument, ['path']),
    read: action(DocRead, DocReadResult, readDocument, ['path']),
    list: action(DocList, DocListResult, documentsPage),
    link: action(DocLink, DocLinkResult, (call, input) => linkDocument(call, input, true), ['path']),
    unlink: action(DocLink, DocLinkResult, (call, input) => linkDocument(call, input, false), ['path']),
    delete: action(DocDelete, DocDeleteResult, removeDocument, ['path']),
    index: action(DocIndex, DocIndexResult, indexDocuments, ['paths']),
    reindex: action(DocReindex, DocIndexResult, reindexDocuments),
  },
};
