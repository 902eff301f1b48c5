// `flowmcp recover`: rebuilds a missing or damaged .flow/flow.db from the newest snapshots. It opens
// no workspace itself: the database may be what is broken.
import { z } from 'zod';
import { recover } from '../core/transfer/recover.js';
import { projectDir } from '../project.js';
import { asFlowError } from '../tools/dispatch.js';
import { defineCommand, onOff } from './command.js';
import { emitError, emitResult } from './output.js';

export const recoverCommand = defineCommand({
  name: 'recover',
  summary: ['rebuild a missing or damaged .flow/flow.db from the newest snapshots'],
  flags: z.object({ force: onOff('force', 'rebuild even though the database looks healthy (it is kept aside)') }),
  async run({ flags }, global) {
    try {
      return emitResult(recover(projectDir(global.dir).dir, { force: flags.force === true }), global.json);
    } catch (e) {
      return emitError('recover', asFlowError(e), global.json);
    }
  },
});
