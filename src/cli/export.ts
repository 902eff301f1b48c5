// `flowmcp export`: this project's flows, plans, tasks and context as one JSON file that diffs well
// in git and imports back; to stdout, or crash-safely to --out.
import { z } from 'zod';
import { exportState } from '../core/transfer/export.js';
import { exportToFile } from '../core/transfer/export-file.js';
import { asFlowError } from '../tools/dispatch.js';
import { defineCommand, onOff } from './command.js';
import { emitError } from './output.js';
import { withProject } from './with-project.js';

export const exportCommand = defineCommand({
  name: 'export',
  summary: ['flows, plans, tasks and context as JSON that `flowmcp import` reads back'],
  flags: z.object({
    flow: z.string().min(1).optional().meta({ value: 'ID', help: 'only this flow' }),
    out: z.string().min(1).optional().meta({ value: 'FILE', help: 'write here (atomically) instead of to stdout; replaces an earlier export there' }),
    force: onOff('force', 'with --out: replace the file even if it is not an earlier export'),
  }),
  run: ({ flags }, global) =>
    withProject(global.dir, async (call) => {
      try {
        if (flags.out !== undefined) {
          const { replaced } = exportToFile(call, flags.out, { flow_id: flags.flow, force: flags.force });
          process.stderr.write(`exported to ${flags.out}${replaced ? ' (replaced the file that was there)' : ''}\n`);
        } else process.stdout.write(exportState(call, { flow_id: flags.flow }));
        return 0;
      } catch (e) {
        return emitError('export', asFlowError(e), global.json);
      }
    }, 'cli', { readsOnly: true }),
});
