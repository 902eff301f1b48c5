// Which embedder answers the vector half of search. Settings come from .flow/config.json
// ({"embedder": {"provider", "model", "dimensions", "base_url", "api_key_env"}}), and environment
// variables override them:
//   FLOW_EMBEDDER=static (default) | openai | none
//   FLOW_EMBED_MODEL, FLOW_EMBED_DIMENSIONS, FLOW_OPENAI_BASE_URL (or OPENAI_BASE_URL), OPENAI_API_KEY
import type { Embedder } from '../search/embedder.js';
import { openaiEmbedder } from '../search/openai-embedder.js';
import { staticEmbedder } from '../search/static-embedder-adapter.js';
import { readConfig } from './config.js';
import { FlowError } from './errors.js';
import type { Workspace } from './workspace.js';

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

const cache = new Map<string, Embedder | undefined>();

export function activeEmbedder(ws: Workspace, env: NodeJS.ProcessEnv = process.env): Embedder | undefined {
  const cfg = readConfig(ws).embedder;
  const choice = (env.FLOW_EMBEDDER ?? cfg?.provider ?? 'static').toLowerCase();
  const model = env.FLOW_EMBED_MODEL ?? cfg?.model ?? 'text-embedding-3-small';
  const dimsSetting = env.FLOW_EMBED_DIMENSIONS ? Number(env.FLOW_EMBED_DIMENSIONS) : cfg?.dimensions;
  const baseURL = env.FLOW_OPENAI_BASE_URL ?? env.OPENAI_BASE_URL ?? cfg?.base_url;
  const apiKey = env[cfg?.api_key_env ?? 'OPENAI_API_KEY'];
  const key = JSON.stringify([choice, model, dimsSetting, baseURL, apiKey ?? null]);
  if (cache.has(key)) return cache.get(key);
  let embedder: Embedder | undefined;
  if (choice === 'none' || choice === 'off') embedder = undefined;
  else if (choice === 'static') embedder = staticEmbedder;
  else if (choice === 'openai') {
    const dims = dimsSetting ?? KNOWN_DIMENSIONS[model];
    if (!dims || !Number.isInteger(dims) || dims < 1) {
      throw new FlowError(
        'invalid_input',
        `The vector length of embedding model "${model}" is not known.`,
        'Set FLOW_EMBED_DIMENSIONS (or embedder.dimensions in .flow/config.json) to the length of the vectors it returns, e.g. 768 for nomic-embed-text.',
      );
    }
    embedder = openaiEmbedder({
      model,
      dimensions: dims,
      sendDimensions: dimsSetting !== undefined && model.startsWith('text-embedding-3'),
      apiKey,
      baseURL,
    });
  } else {
    throw new FlowError('invalid_input', `Embedder "${choice}" is not one flowmcp has.`, 'Use static (the default), openai, or none (FLOW_EMBEDDER or embedder.provider in .flow/config.json).');
  }
  cache.set(key, embedder);
  return embedder;
}
