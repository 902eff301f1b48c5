// Which embedder answers the vector half of search. Where the user's text may be sent is the user's
// choice alone, so the settings come, in this order, from:
//   1. the environment: FLOW_EMBEDDER=static (default) | openai | none, FLOW_EMBED_MODEL,
//      FLOW_EMBED_DIMENSIONS, FLOW_OPENAI_BASE_URL (or OPENAI_BASE_URL), OPENAI_API_KEY;
//   2. the user's own config (core/kernel/user-config.ts): embedder { provider, model, dimensions, base_url, api_key_env };
//   3. the project's .flow/config.json, for the harmless choice only: provider "static" or "none".
// A project file naming a remote provider, an endpoint or a key variable is ignored (core/kernel/config.ts
// says so on stderr, and search results carry the note).
import type { Embedder } from '../../search/embedder.js';
import { openaiEmbedder } from '../../search/openai-embedder.js';
import { staticEmbedder } from '../../search/static-embedder-adapter.js';
import { readConfig } from '../kernel/config.js';
import { FlowError } from '../../model/errors.js';
import { readUserConfig } from '../kernel/user-config.js';
import type { Workspace } from '../kernel/workspace.js';

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

const cache = new Map<string, Embedder | undefined>();

/** The project's choice, when it is one a project may make. */
function projectChoice(ws: Workspace): string | undefined {
  const p = readConfig(ws).embedder?.provider;
  return p === 'static' || p === 'none' ? p : undefined;
}

export function activeEmbedder(ws: Workspace, env: NodeJS.ProcessEnv = process.env): Embedder | undefined {
  const user = readUserConfig(env).embedder;
  const project = projectChoice(ws);
  const choice = (env.FLOW_EMBEDDER ?? user?.provider ?? project ?? 'static').toLowerCase();
  const model = env.FLOW_EMBED_MODEL ?? user?.model ?? 'text-embedding-3-small';
  const dimsSetting = env.FLOW_EMBED_DIMENSIONS ? Number(env.FLOW_EMBED_DIMENSIONS) : user?.dimensions;
  const baseURL = env.FLOW_OPENAI_BASE_URL ?? env.OPENAI_BASE_URL ?? user?.base_url;
  const apiKey = env[user?.api_key_env ?? 'OPENAI_API_KEY'];
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
        'Set FLOW_EMBED_DIMENSIONS (or embedder.dimensions in your own config, ~/.config/flowmcp/config.json) to the length of the vectors it returns, e.g. 768 for nomic-embed-text.',
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
    throw new FlowError('invalid_input', `Embedder "${choice}" is not one flowmcp has.`, 'Use static (the default), openai, or none (FLOW_EMBEDDER, or embedder.provider in your own config).');
  }
  cache.set(key, embedder);
  return embedder;
}
