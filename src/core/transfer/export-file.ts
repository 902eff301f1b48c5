// `flowmcp export --out <file>`: the export written crash-safely, so an interrupted export never
// leaves a half file where a good one stood (the CLI reaches files through core, not store/). It
// replaces an earlier export at that path (exporting again for git is what --out is for), and nothing
// else unless told to: `--out README.md` would have put JSON over the readme without a word.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { readFileEnds } from '../../store/bounded-file.js';
import type { Call } from '../kernel/workspace.js';
import { EXPORT_MARK, exportState } from './export.js';

export interface ExportFileOptions {
  flow_id?: string;
  /** Replace a file at the path that is not an earlier flowmcp export. */
  force?: boolean;
}

/**
 * Writes the export to `file` (through a link at that path, to the file it names, as a shell's `>` would);
 * says whether it replaced an earlier export there (or, with force, another file).
 */
export function exportToFile(call: Call, file: string, opts: ExportFileOptions = {}): { replaced: boolean } {
  const target = realTarget(file);
  refuseFlowFolder(call, file, target);
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new FlowError('invalid_input', `--out ${file} is a link to a file that does not exist; nothing was written.`, 'Remove the link, or name the file itself.');
  }
  leadsOut(call, file, target, opts.force === true);
  const replaced = existingTarget(target, file, opts.force === true);
  writeFileAtomic(target, exportState(call, { flow_id: opts.flow_id }));
  return { replaced };
}

/**
 * A path in the project that a link leads out of it (export.json → ~/elsewhere.json, planted by a cloned
 * repository) would have the export land outside the project where the person named a project file:
 * refused unless `force`. A path named outside the project is where the person chose to write.
 */
function leadsOut(call: Call, file: string, target: string, force: boolean): void {
  if (force) return;
  const root = resolve(call.ws.root);
  const realRoot = realpathSync.native(root);
  const named = resolve(file);
  if (!within(named, root) && !within(named, realRoot)) return;
  if (within(target, realRoot)) return;
  throw new FlowError(
    'invalid_input',
    `--out ${file} is in the project, but a link there leads outside it (to ${target}); nothing was written.`,
    `Name the file outside the project yourself if that is where it should go, or add --force to write through the link.`,
  );
}

/** What says a file is a flowmcp export: its meta, at its start as exportState writes it, or at its end with keys sorted (jq -S). */
const EXPORT_META = new RegExp(`"meta"\\s*:\\s*\\{\\s*"exported_by"\\s*:\\s*"${EXPORT_MARK}"`);
/** How much of each end of the file is looked at. */
const LOOK = 4096;

/** Whether something is at `target` (named `file` by the person) to replace: an earlier export (fine), else refused unless `force`. */
function existingTarget(target: string, file: string, force: boolean): boolean {
  const st = lstatSync(target, { throwIfNoEntry: false });
  if (!st) return false;
  if (!st.isFile()) {
    throw new FlowError('invalid_input', `--out ${file} is not a regular file; nothing was written.`, 'Name a file path for the export, e.g. flows-export.json in the project folder.');
  }
  if (force || isEarlierExport(target)) return true;
  throw new FlowError(
    'invalid_input',
    `--out ${file} already exists and is not a flowmcp export; nothing was written.`,
    `Name another file (e.g. flows-export.json), or add --force to replace ${file} with the export.`,
  );
}

/**
 * Whether the file is an earlier export (or empty, as a failed `flowmcp export > file` leaves it): a JSON
 * object whose first or last 4 KB hold flowmcp's meta.
 */
function isEarlierExport(file: string): boolean {
  let ends;
  try {
    ends = readFileEnds(file, LOOK);
  } catch {
    return false;
  }
  if (!ends) return false;
  if (ends.size === 0) return true;
  return /^\uFEFF?\s*\{/.test(ends.head) && (EXPORT_META.test(ends.head) || EXPORT_META.test(ends.tail));
}

/** Whether `path` is `dir` or inside it (both absolute). */
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);

/** Where a path really is: its nearest existing folder with links followed, and the rest as written. */
function realTarget(path: string): string {
  let at = resolve(path);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return join(realpathSync.native(at), relative(at, resolve(path)));
}

/**
 * An export over anything in .flow/ would replace flowmcp's own files (`--out .flow/flow.db` put JSON
 * where the live database was): refused, by where the path really leads.
 */
function refuseFlowFolder(call: Call, file: string, target: string): void {
  if (within(target, realpathSync.native(call.ws.flowDir))) {
    throw new FlowError(
      'invalid_input',
      `--out ${file} is inside ${call.ws.flowDir}, where flowmcp keeps this project's own data; nothing was written.`,
      'Write the export to a file outside .flow/, e.g. flows-export.json in the project folder.',
    );
  }
}
