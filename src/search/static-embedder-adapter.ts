// The offline default embedder: shipped static word vectors, loaded on first use (never at start-up).
import type { Embedder } from './embedder.js';
import { StaticVectors } from './static-embedder.js';
import { koreanLexicon, loadKoreanLexicon } from './lexicon.js';
import { nextTurn } from '../background-turns.js';

let shared: StaticVectors | undefined;
let loading: Promise<void> | undefined;

/** Loads the shipped table once per process, on first call. */
export function staticVectors(): StaticVectors {
  shared ??= StaticVectors.load(undefined, () => koreanLexicon());
  return shared;
}

/** The same with the file read by the thread pool; a failed read is said by the next embed, which reads again. */
function loadInBackground(): Promise<void> {
  if (shared) return Promise.resolve();
  loading ??= StaticVectors.loadInBackground(undefined, () => koreanLexicon())
    .then((v) => void (shared ??= v))
    .finally(() => (loading = undefined));
  return loading;
}

export const staticEmbedder: Embedder = {
  // v2: Korean words stand for their English translations (a text's vector changes, so it is re-embedded).
  // v3: the vectors are fine-tuned for retrieval (scripts/vectors/finetune.sh).
  id: 'static-vectors:flowmcp-100d-v3',
  supersedes: ['static-vectors:flowmcp-100d-v1', 'static-vectors:flowmcp-100d-v2'],
  label: 'static-vectors',
  dim: 100,
  local: true,
  embed: async (texts) => {
    const v = staticVectors();
    return texts.map((t) => v.embed(t));
  },
  prepare: async (opts) => {
    await loadInBackground();
    if (!opts?.whole) return;
    // A server's warm-up: in turns, so a call arriving meanwhile waits for a few ms at most.
    await shared!.indexAllInTurns(nextTurn);
    await loadKoreanLexicon();
  },
};
