// The offline default embedder: shipped static word vectors, loaded on first use (never at start-up).
import type { Embedder } from './embedder.js';
import { StaticVectors } from './static-embedder.js';
import { koreanLexicon } from './lexicon.js';

let shared: StaticVectors | undefined;

/** Loads the shipped table once per process, on first call. */
export function staticVectors(): StaticVectors {
  shared ??= StaticVectors.load(undefined, () => koreanLexicon());
  return shared;
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
};
