// The offline default embedder: shipped static word vectors, loaded on first use (never at start-up).
import type { Embedder } from './embedder.js';
import { StaticVectors } from './static-embedder.js';

let shared: StaticVectors | undefined;

/** Loads the shipped table once per process, on first call. */
export function staticVectors(): StaticVectors {
  shared ??= StaticVectors.load();
  return shared;
}

export const staticEmbedder: Embedder = {
  id: 'static-vectors:flowmcp-100d-v1',
  label: 'static-vectors',
  dim: 100,
  local: true,
  embed: async (texts) => {
    const v = staticVectors();
    return texts.map((t) => v.embed(t));
  },
};
