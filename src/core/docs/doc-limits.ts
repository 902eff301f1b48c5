// How many bytes flowmcp reads back from a document file, by where it lives. Files are read through
// store/bounded-file.ts, so a file that grew after it was indexed (or grows while it is read) is
// refused with its size instead of being read, indexed or returned whole.
import { readFileBounded } from '../../store/bounded-file.js';

/** Project files the user indexes (README.md, docs/**): bigger ones are skipped with a reason. */
export const MAX_PROJECT_FILE_BYTES = 1_000_000;
/** flowmcp's own documents: the most a document write can produce (2,000,000 UTF-16 units × 3 bytes). */
export const MAX_DOCUMENT_BYTES = 6_000_000;

export const maxBytesFor = (source: 'flow' | 'project'): number => (source === 'project' ? MAX_PROJECT_FILE_BYTES : MAX_DOCUMENT_BYTES);

export type TextRead = { ok: true; text: string; bytes: Buffer } | { ok: false; why: string; size: number; reason: 'too_large' | 'not_a_file' | 'hard_link' };

/** A document's text, if the file is a regular file within the limit; else why not (missing files throw). */
export function readDocumentFile(file: string, source: 'flow' | 'project'): TextRead {
  const limit = maxBytesFor(source);
  const r = readFileBounded(file, limit);
  if (!r.ok) return { ok: false, size: r.size, reason: r.reason, why: r.reason === 'too_large' ? `larger than ${limit} bytes` : 'not a regular file' };
  // Checked on the open descriptor: a hard link is the same file as one somewhere else, which may be
  // outside the project (a symlink check cannot see that), so its text is never read.
  if (r.links > 1) return { ok: false, size: r.size, reason: 'hard_link', why: `a hard link (the file has ${r.links} names; one may be outside the project)` };
  return { ok: true, bytes: r.bytes, text: r.bytes.toString('utf8') };
}
