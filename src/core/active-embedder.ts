// Which embedder answers the vector half of search, from the environment:
//   FLOW_EMBEDDER=static (default)  the shipped offline word vectors
//   FLOW_EMBEDDER=openai            OpenAI or a compatible server: OPENAI_API_KEY, FLOW_OPENAI_BASE_URL
//                                   (or OPENAI_BASE_URL), FLOW_EMBED_MODEL, FLOW_EMBED_DIMENSIONS
//   FLOW_EMBEDDER=none              full-text search only
import type { Embedder } from '../search/embedder.js';
import { openaiEmbedder } from '../search/openai-embedder.js';
import { staticEmbedder } from '../search/static-embedder-adapter.js';
import { FlowError } from './errors.js';

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

let cached: { key: string; embedder: Embedder | undefined } | undefined;

export function activeEmbedder(env: NodeJS.ProcessEnv = process.env): Embedder | undefined {
  const choice = (env.FLOW_EMBEDDER ?? 'static').toLowerCase();
  const key = JSON.stringify([choice, env.FLOW_EMBED_MODEL, env.FLOW_EMBED_DIMENSIONS, env.FLOW_OPENAI_BASE_URL, env.OPENAI_BASE_URL]);
  if (cached?.key === key) return cached.embedder;
  let embedder: Embedder | undefined;
  if (choice === 'none' || choice === 'off') embedder = undefined;
  else if (choice === 'static') embedder = staticEmbedder;
  else if (choice === 'openai') {
    const model = env.FLOW_EMBED_MODEL ?? 'text-embedding-3-small';
    const dims = env.FLOW_EMBED_DIMENSIONS ? Number(env.FLOW_EMBED_DIMENSIONS) : KNOWN_DIMENSIONS[model];
    if (!dims || !Number.isInteger(dims) || dims < 1) {
      throw new FlowError('invalid_input', `FLOW_EMBED_DIMENSIONS is needed for embedding model "${model}".`, 'Set it to the length of the vectors the model returns (e.g. 768 for nomic-embed-text).');
    }
    embedder = openaiEmbedder({
      model,
      dimensions: dims,
      sendDimensions: Boolean(env.FLOW_EMBED_DIMENSIONS) && model.startsWith('text-embedding-3'),
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.FLOW_OPENAI_BASE_URL ?? env.OPENAI_BASE_URL,
    });
  } else {
    throw new FlowError('invalid_input', `FLOW_EMBEDDER="${choice}" is not an embedder.`, 'Use static (default), openai, or none.');
  }
  cached = { key, embedder };
  return embedder;
}
