// `flowmcp export --out <file>`: the export written crash-safely, so an interrupted export never
// leaves a half file where a good one stood (the CLI reaches files through core, not store/). It
// replaces an earlier export at that path (exporting again for git is what --out is for), and nothing
// else unless told to: `--out README.md` would have put JSON over the readme without a word.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import type { Call } from '../kernel/workspace.js';
import { EXPORT_MARK, exportState } from './export.js';

export interface ExportFileOptions {
  flow_id?: string;
  /** Replace a file at the path that is not an earlier flowmcp export. */
  force?: boolean;
}

/** Writes the export to `file`; says whether it replaced an earlier export there (or, with force, another file). */
export function exportToFile(call: Call, file: string, opts: ExportFileOptions = {}): { replaced: boolean } {
  refuseFlowFolder(call, file);
  const replaced = existingTarget(file, opts.force === true);
  writeFileAtomic(file, exportState(call, { flow_id: opts.flow_id }));
  return { replaced };
}

/** The start of a flowmcp export, as exportState writes it (a hand-written one may space it otherwise). */
const EXPORT_START = new RegExp(`^\\s*\\{\\s*"version"\\s*:\\s*"[^"]*"\\s*,\\s*"meta"\\s*:\\s*\\{\\s*"exported_by"\\s*:\\s*"${EXPORT_MARK}"`);

/** Whether something is at `file` to replace: an earlier export (fine), else refused unless `force`. */
function existingTarget(file: string, force: boolean): boolean {
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (!st) return false;
  if (!st.isFile() && !st.isSymbolicLink()) {
    throw new FlowError('invalid_input', `--out ${file} is not a regular file; nothing was written.`, 'Name a file path for the export, e.g. flows-export.json in the project folder.');
  }
  if (force || isEarlierExport(file)) return true;
  throw new FlowError(
    'invalid_input',
    `--out ${file} already exists and is not a flowmcp export; nothing was written.`,
    `Name another file (e.g. flows-export.json), or add --force to replace ${file} with the export.`,
  );
}

/** Whether the file begins as a flowmcp export does (its first 512 bytes; O_NONBLOCK: a FIFO never hangs the open). */
function isEarlierExport(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    if (!fstatSync(fd).isFile()) return false;
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return EXPORT_START.test(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

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
function refuseFlowFolder(call: Call, file: string): void {
  const flow = realpathSync.native(call.ws.flowDir);
  const target = realTarget(file);
  if (target === flow || target.startsWith(flow + sep)) {
    throw new FlowError(
      'invalid_input',
      `--out ${file} is inside ${call.ws.flowDir}, where flowmcp keeps this project's own data; nothing was written.`,
      'Write the export to a file outside .flow/, e.g. flows-export.json in the project folder.',
    );
  }
}
