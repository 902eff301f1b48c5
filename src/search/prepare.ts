// Turns text into the chunks the index stores: markdown chunks with their heading path, a content
// hash (what the embedder sees), and the forms the full-text index gets.
import { nodeCrypto } from '../node-crypto.js';
import type { NewChunk } from '../store/chunks.js';
import { chunkMarkdown, firstHeading } from './chunk.js';
import { ftsDocument } from './fts-text.js';

export function hashText(s: string): string {
  return nodeCrypto().createHash('sha256').update(s).digest('hex').slice(0, 32);
}

export function embedText(heading: string, body: string): string {
  return heading ? `${heading}\n${body}` : body;
}

function make(heading: string, body: string, startLine?: number, endLine?: number): NewChunk {
  return { heading, body, hash: hashText(embedText(heading, body)), ftsHeading: ftsDocument(heading), ftsBody: ftsDocument(body), startLine, endLine };
}

export function documentChunks(markdown: string, title?: string): NewChunk[] {
  const chunks = chunkMarkdown(markdown).map((c) => {
    const path = c.headings.length ? c.headings.join(' › ') : (title ?? '');
    return make(path, c.text, c.startLine, c.endLine);
  });
  // An empty or heading-only document still gets one chunk (its title, no body): findable by its title,
  // and "a document with no chunks" then always means its search entries were lost, never "nothing to
  // index" (otherwise such a file would look incomplete, and be re-indexed, on every check).
  return chunks.length ? chunks : [make(title ?? '', '')];
}

/** A task or plan is one chunk: its title as the heading, its description as the body. */
export function recordChunk(title: string, description: string): NewChunk[] {
  return [make(title, description || title)];
}

/** The title of a markdown document: its first heading (`#` or underlined, never a `#` line in a code block), else its file name. */
export function documentTitle(markdown: string, path: string): string {
  return (firstHeading(markdown) || path.split('/').pop() || path).slice(0, 200);
}
