// Where document files live and which paths are allowed: relative, normalised, inside
// .flow/documents/ (or, for indexed project files, inside the project), never through a symlink
// that leads outside or into a hidden file or folder.
import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { posix, sep, join, dirname } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { mapFaults, placeOf, storageError } from '../../model/storage-faults.js';

/** Longest relative path a document may have (every door that takes a path enforces it). */
export const MAX_PATH = 300;
export const DOC_EXTENSIONS = ['.md', '.markdown', '.txt'];

// Characters with no business in a file name: control characters (C0, DEL, C1), and invisible or
// direction-changing format characters that make a path read differently from what it is.
const ODD_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/**
 * Checks and normalises a user-given relative path; throws a FlowError that says how to write it.
 * Everything that changes the text (Unicode NFC, trimming) happens first and every check runs on the
 * result, so what is checked is exactly what is stored and joined.
 */
/** `example`: a path of the kind asked for, in the hint (an import file is no note). */
export function normalizeRelPath(input: string, what = 'path', example = 'notes/auth.md'): string {
  const hint = `Give a relative path inside the project with / separators, e.g. "${example}".`;
  const text = input.normalize('NFC').trim();
  if (ODD_CHARS.test(text)) throw new FlowError('invalid_input', `${what} contains a control or invisible character.`, hint);
  if (text.includes('\\')) throw new FlowError('invalid_input', `${what} "${text}" uses \\ separators.`, hint);
  if (text.startsWith('/') || text.startsWith('~') || /^[A-Za-z]:/.test(text)) throw new FlowError('invalid_input', `${what} "${text}" is absolute.`, hint);
  const norm = posix.normalize(text);
  // posix.normalize gives '.' for an empty path, never ''.
  if (norm === '.' || norm === '..' || norm.startsWith('../')) {
    throw new FlowError('invalid_input', `${what} "${text}" points outside the folder it belongs in.`, hint);
  }
  if (norm.length > MAX_PATH) throw new FlowError('invalid_input', `${what} is longer than ${MAX_PATH} characters.`, hint);
  // Stryker disable next-line Regex: posix.normalize leaves at most one trailing slash, so /\/+$/ and /\/$/ remove the same
  const segments = norm.replace(/\/+$/, '').split('/');
  if (segments.some((seg) => seg.startsWith('.'))) {
    throw new FlowError('invalid_input', `${what} "${text}" has a hidden (dot) segment.`, hint);
  }
  // " notes/a.md" or "notes /a.md": names that look like another on screen, or lose their spaces elsewhere.
  if (segments.some((seg) => seg !== seg.trim() || /[\s.]$/.test(seg))) {
    throw new FlowError('invalid_input', `${what} "${text}" has a folder or file name that starts or ends with a space (or ends with a dot).`, hint);
  }
  return segments.join('/');
}

export function checkDocExtension(path: string): void {
  if (!DOC_EXTENSIONS.some((e) => path.toLowerCase().endsWith(e))) {
    throw new FlowError('invalid_input', `Document "${path}" is not markdown or text.`, `Name it with one of ${DOC_EXTENSIONS.join(', ')} (e.g. "${path}.md").`);
  }
}

/**
 * The absolute file for a relative path under root, after making sure no existing part of the way
 * there is a symlink leading outside root (a symlink inside root that stays inside is fine) or
 * something that is not a folder. Every existing folder on the way is checked BEFORE anything is
 * created; with createDirs the missing ones are then made one level at a time, each checked again
 * once it exists, so a folder swapped for a symlink in between is caught before it is written through.
 */
export function safeJoin(root: string, rel: string, opts: { createDirs?: boolean } = {}): string {
  const segments = rel.split('/');
  // Callers pass normalizeRelPath's output, but some paths come from files (snapshot payloads, the
  // database, which a cloned repository may have written): anything that is not a plain relative path
  // is refused here too, before the disk — and so is a hidden name (.env, .git/config), which no
  // document path may have.
  if (segments.some((seg) => seg === '' || seg.startsWith('.') || seg.includes('\\') || seg.includes('\u0000'))) {
    throw new FlowError('invalid_input', `"${rel}" is not a plain relative path inside its folder (or has a hidden name); it was not touched.`, 'Give a relative path with / separators and no hidden (dot) names, e.g. "notes/auth.md".');
  }
  const file = join(root, ...segments);
  if (opts.createDirs) mapFaults(() => mkdirSync(root, { recursive: true }), { where: placeOf(root, { isDir: true }) });
  const realRoot = realpathSync(root);
  const inside = (link: string) => {
    let real: string;
    try {
      real = realpathSync(link);
    } catch {
      return false; // a dangling link: where it would lead is not known, so it leads nowhere allowed
    }
    if (real === realRoot) return true;
    if (!real.startsWith(realRoot + sep)) return false;
    // Inside, but not into a hidden file or folder (.env, .git, .flow): the rule the path itself obeys.
    return !real.slice(realRoot.length + 1).split(sep).some((seg) => seg.startsWith('.'));
  };
  const checkDir = (dir: string): 'ok' | 'missing' => {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) return 'missing';
    if (st.isSymbolicLink() && !inside(dir)) throw outside(rel);
    if (!statSync(dir).isDirectory()) throw notAFolder(rel);
    return 'ok';
  };
  // First pass: nothing is created until every existing folder on the way has been checked.
  const dirs: string[] = [];
  for (let i = 1; i < segments.length; i++) dirs.push(join(root, ...segments.slice(0, i)));
  let firstMissing = dirs.length;
  for (let i = 0; i < dirs.length; i++) {
    if (checkDir(dirs[i]!) === 'missing') {
      firstMissing = i;
      break;
    }
  }
  if (opts.createDirs) {
    for (let i = firstMissing; i < dirs.length; i++) {
      try {
        mkdirSync(dirs[i]!);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(e, { where: placeOf(dirs[i]!, { isDir: true }) }) ?? e;
      }
      // Stryker disable next-line ConditionalExpression: only a folder removed between the mkdir above and this check (a race no test can stage in process) is missing here
      if (checkDir(dirs[i]!) === 'missing') throw notAFolder(rel);
    }
  }
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (st?.isSymbolicLink() && !inside(file)) throw outside(rel);
  return file;
}

function notAFolder(rel: string): FlowError {
  return new FlowError('invalid_input', `"${rel}" goes through something that is not a folder; it was not touched.`, 'Use a path whose folders are real directories inside it.');
}

function outside(rel: string): FlowError {
  return new FlowError('invalid_input', `"${rel}" leads outside its folder (or into a hidden file) through a symbolic link; it was not touched.`, 'Use a path whose folders are real directories inside it.');
}

/** Where flowmcp's own documents live: .flow/documents/. */
export function documentsRoot(call: { ws: { flowDir: string } }): string {
  return join(call.ws.flowDir, 'documents');
}
