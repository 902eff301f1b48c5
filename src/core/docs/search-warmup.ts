// A long-running face (a server) prepares search when it opens a project, beside the first calls, so the
// first search does not pay for it: indexed files are checked for edits made while no server ran, rows
// an import left without search entries are indexed, a local embedder's word vectors are loaded, and the
// vector screen and the text index of a big set are filled in slices. One-shot CLI commands skip all of
// it: they load only what their own call needs.
import { log } from '../../log.js';
import { warmTextIndex } from '../../search/text-index.js';
import { warmVectorIndex } from '../../search/vector-index.js';
import type { Call } from '../kernel/workspace.js';
import { activeEmbedder } from './active-embedder.js';
import { markLongRunning } from '../kernel/long-running.js';
import { catchUpInBackground } from './search-backlog.js';
import { checkFilesInBackground } from './sync-throttle.js';

/**
 * How long after opening the project the warm-up starts. A client's first calls usually come at once
 * (tools/list, then a call): they are answered first, without the warm-up's loads (~50 ms of word
 * vectors and lexicon, the screen in slices) in their way; measured, warming at once made the first
 * call after a start ~240 ms instead of ~8 ms on a busy machine.
 */
const WARM_AFTER_MS = 300;

export function warmSearch(call: Call): void {
  markLongRunning(call.ws);
  const timer = setTimeout(() => {
    if (!call.ws.db.open) return;
    checkFilesInBackground(call);
    catchUpInBackground(call); // rows an import left without search entries (a server killed mid-pass)
    const t0 = performance.now();
    const text = warmTextIndex(call.ws.db).catch((e: unknown) => {
      if (call.ws.db.open) log.debug(`text index warm-up stopped: ${(e as Error).message}`);
    });
    const vectors = (async () => {
      const embedder = activeEmbedder(call.ws);
      if (!embedder) return;
      // The word vectors, their lookup map and the Korean lexicon a Korean word needs (a remote embedder
      // has nothing to load, and is never sent text nobody searched for).
      await embedder.prepare?.({ whole: true });
      await warmVectorIndex(call.ws.db, embedder.id, embedder.dim);
    })().catch((e: unknown) => {
      // A bad embedder setting is said by the search that needs it; a project closed meanwhile is no failure.
      if (call.ws.db.open) log.debug(`search warm-up stopped: ${(e as Error).message}`);
    });
    // Said for whoever measures calls beside it (npm run bench -- latency waits for it).
    void Promise.all([text, vectors]).then(() => call.ws.db.open && log.debug(`search warm-up done in ${Math.round(performance.now() - t0)} ms`));
  }, WARM_AFTER_MS);
  timer.unref(); // never what keeps a process alive
}
