// `flowmcp export --out <file>`: the export written crash-safely, so an interrupted export never
// leaves a half file where a good one stood (the CLI reaches files through core, not store/).
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import type { Call } from '../kernel/workspace.js';
import { exportState } from './export.js';

export function exportToFile(call: Call, file: string, opts: { flow_id?: string } = {}): void {
  refuseFlowFolder(call, file);
  writeFileAtomic(file, exportState(call, opts));
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
