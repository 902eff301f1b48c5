// Where document files live and which paths are allowed: relative, normalised, inside
// .flow/documents/ (or, for indexed project files, inside the project), never through a symlink
// that leads outside.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { posix, sep, join, dirname } from 'node:path';
import { FlowError } from './errors.js';

const MAX_PATH = 300;
export const DOC_EXTENSIONS = ['.md', '.markdown', '.txt'];

/** Checks and normalises a user-given relative path; throws a FlowError that says how to write it. */
export function normalizeRelPath(input: string, what = 'path'): string {
  const hint = `Give a relative path with / separators, e.g. "notes/auth.md".`;
  if (input.includes('\u0000')) throw new FlowError('invalid_input', `${what} contains a NUL character.`, hint);
  if (input.includes('\\')) throw new FlowError('invalid_input', `${what} "${input}" uses \\ separators.`, hint);
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input)) throw new FlowError('invalid_input', `${what} "${input}" is absolute.`, hint);
  const norm = posix.normalize(input.trim());
  if (norm === '.' || norm === '' || norm === '..' || norm.startsWith('../')) {
    throw new FlowError('invalid_input', `${what} "${input}" points outside the folder it belongs in.`, hint);
  }
  if (norm.length > MAX_PATH) throw new FlowError('invalid_input', `${what} is longer than ${MAX_PATH} characters.`, hint);
  if (norm.split('/').some((seg) => seg.startsWith('.'))) {
    throw new FlowError('invalid_input', `${what} "${input}" has a hidden (dot) segment.`, hint);
  }
  return norm.replace(/\/+$/, '');
}

export function checkDocExtension(path: string): void {
  if (!DOC_EXTENSIONS.some((e) => path.toLowerCase().endsWith(e))) {
    throw new FlowError('invalid_input', `Document "${path}" is not markdown or text.`, `Name it with one of ${DOC_EXTENSIONS.join(', ')} (e.g. "${path}.md").`);
  }
}

/**
 * The absolute file for a relative path under root, after making sure no existing part of the way
 * there is a symlink leading outside root (a symlink inside root that stays inside is fine).
 */
export function safeJoin(root: string, rel: string, opts: { createDirs?: boolean } = {}): string {
  const file = join(root, ...rel.split('/'));
  if (opts.createDirs) mkdirSync(dirname(file), { recursive: true });
  const realRoot = realpathSync(root);
  let probe = dirname(file);
  // The deepest existing ancestor must resolve inside root.
  for (;;) {
    try {
      const real = realpathSync(probe);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) throw outside(rel);
      break;
    } catch (e) {
      if (e instanceof FlowError) throw e;
      const up = dirname(probe);
      if (up === probe) break;
      probe = up;
    }
  }
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    const real = realpathSync(file);
    if (!real.startsWith(realRoot + sep)) throw outside(rel);
  }
  return file;
}

function outside(rel: string): FlowError {
  return new FlowError('invalid_input', `"${rel}" leads outside its folder through a symbolic link; it was not touched.`, 'Use a path whose folders are real directories inside it.');
}

/** Where flowmcp's own documents live: .flow/documents/. */
export function documentsRoot(ctx: { ws: { flowDir: string } }): string {
  return join(ctx.ws.flowDir, 'documents');
}
