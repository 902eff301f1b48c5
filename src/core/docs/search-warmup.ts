// A long-running face (a server) prepares search when it opens a project, beside the first calls, so the
// first search does not pay for it: indexed files are checked for edits made while no server ran, a local
// embedder's word vectors are loaded, and the vector screen of a big set is filled in slices. One-shot CLI
// commands skip all of it: they load only what their own call needs.
import { log } from '../../log.js';
import { warmVectorIndex } from '../../search/vector-index.js';
import type { Call } from '../kernel/workspace.js';
import { activeEmbedder } from './active-embedder.js';
import { checkFilesInBackground } from './sync-throttle.js';

export function warmSearch(call: Call): void {
  checkFilesInBackground(call);
  setImmediate(() => {
    void (async () => {
      const embedder = activeEmbedder(call.ws);
      if (!embedder) return;
      // Only a local embedder is asked: a remote one would be sent text nobody searched for.
      if (embedder.local) await embedder.embed(['', '검색']); // the word vectors, and the Korean lexicon a Korean word needs
      await warmVectorIndex(call.ws.db, embedder.id, embedder.dim);
    })().catch((e: unknown) => {
      // A bad embedder setting is said by the search that needs it; a project closed meanwhile is no failure.
      if (call.ws.db.open) log.debug(`search warm-up stopped: ${(e as Error).message}`);
    });
  });
}
