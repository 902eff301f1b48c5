// Which embedder answers the vector half of search. Today: the shipped static word vectors, or none
// (FLOW_EMBEDDER=none: full-text only). The OpenAI-compatible embedder is not built yet.
import type { Embedder } from '../search/embedder.js';
import { staticEmbedder } from '../search/static-embedder-adapter.js';

export function activeEmbedder(env: NodeJS.ProcessEnv = process.env): Embedder | undefined {
  const choice = (env.FLOW_EMBEDDER ?? 'static').toLowerCase();
  if (choice === 'none' || choice === 'off') return undefined;
  return staticEmbedder;
}
