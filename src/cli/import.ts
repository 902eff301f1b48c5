// `flowmcp import <file>`: the earlier Flow system's files, or a flowmcp export, into this project
// (a snapshot first; --dry-run reports what would change and changes nothing).
import { z } from 'zod';
import { importFile, importSourceSize } from '../core/transfer/import-file.js';
import { catchUpSearch } from '../core/docs/search-backlog.js';
import { progressBar } from './progress.js';
import { asFlowError } from '../tools/dispatch.js';
import { defineCommand, onOff } from './command.js';
import { emitError, emitResult } from './output.js';
import { withProject } from './with-project.js';

export const importCommand = defineCommand({
  name: 'import',
  args: '<file>',
  summary: ['an old .ai-brain flows.json / workflow.json / context.json, or a flowmcp export, into this project'],
  flags: z.object({
    flow: z.string().min(1).optional().meta({ value: 'ID', help: 'the flow that a context.json goes into' }),
    dry_run: onOff('dry-run', 'report what would be created, renamed and mapped; change nothing'),
  }),
  positionals: z
    .array(z.string())
    .min(1, 'import needs a file: flowmcp import .ai-brain/context.json [--flow <id>] [--dry-run]')
    .max(1, 'import takes one file: quote a path with spaces'),
  run: ({ flags, args }, global) => {
    // The file first: an import refused for it (missing, a FIFO, a folder) changes nothing, not even
    // by making a project where there was none.
    try {
      importSourceSize(args[0]!);
    } catch (e) {
      return Promise.resolve(emitError('import', asFlowError(e), global.json));
    }
    return withProject(global.dir, async (call) => {
      try {
        const code = emitResult(importFile(call, args[0]!, { flow_id: flags.flow, dry_run: flags.dry_run === true }), global.json);
        // The record is written and said; the search entries of a big import follow here, with a bar
        // for a person watching. Interrupted, the next search or server picks them up where this stopped.
        catchUpSearch({ ...call, progress: progressBar(global.json) });
        return code;
      } catch (e) {
        return emitError('import', asFlowError(e), global.json);
      }
    }, 'cli', {
      readsOnly: flags.dry_run === true,
      // The first command of a move from the earlier Flow system is this dry run, in a folder with no
      // project yet: "nothing to read" would be untrue (there is a file) and leave the reader stuck.
      noProject: {
        message: (dir) => `There is no flowmcp project in ${dir} yet, so a dry run has nothing to compare the file with: everything in it would be new. Nothing was created.`,
        hint: 'Run the same import without --dry-run to start the project here with it (an import only adds; delete .flow/ to start over), or pass --dir /path/to/project.',
      },
    });
  },
});
