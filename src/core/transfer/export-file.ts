// `flowmcp export --out <file>`: the export written crash-safely, so an interrupted export never
// leaves a half file where a good one stood (the CLI reaches files through core, not store/).
import { writeFileAtomic } from '../../store/atomic-file.js';
import type { Call } from '../kernel/workspace.js';
import { exportState } from './export.js';

export function exportToFile(call: Call, file: string, opts: { flow_id?: string } = {}): void {
  writeFileAtomic(file, exportState(call, opts));
}
