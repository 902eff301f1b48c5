// The `openai` embedder: OpenAI or any OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, Azure).
// Asks for floats explicitly and checks every vector's length: some compatible servers answer base64
// or another dimension, and a silently short vector would poison the index.
import type OpenAI from 'openai';
import { clip } from '../model/error-text.js';
import { FlowError } from '../model/errors.js';
import type { Embedder } from './embedder.js';

export interface OpenAIEmbedderConfig {
  model: string;
  /** Vector length the index expects; sent as `dimensions` when asked to (text-embedding-3 models). */
  dimensions: number;
  sendDimensions?: boolean;
  apiKey?: string;
  baseURL?: string;
  /** Inputs per request (the API allows 2,048; smaller batches fail smaller). */
  batchSize?: number;
  maxRetries?: number;
  timeoutMs?: number;
}

const OFF = 'FLOW_EMBEDDER=none turns the vector half off (search then uses full text only).';

/** The embedding server answered, but not with what the index needs. */
function badAnswer(message: string, hint = `Use a server and model that answer OpenAI-style float embeddings; ${OFF}`): FlowError {
  return new FlowError('embedder', message, hint);
}

/** The request itself failed: the server could not be reached, refused the key, or does not know the model. */
function requestFailed(e: unknown, cfg: OpenAIEmbedderConfig): FlowError {
  const where = cfg.baseURL ?? 'the OpenAI API';
  const status = (e as { status?: unknown })?.status;
  const said = clip(String((e as Error)?.message ?? e), 200);
  if (typeof status !== 'number') {
    return new FlowError(
      'embedder',
      `The embedding server at ${where} could not be reached (${said}).`,
      `Check that it is running and that FLOW_OPENAI_BASE_URL (or OPENAI_BASE_URL, or embedder.base_url in your own config) points at it; ${OFF}`,
      { status: null },
    );
  }
  const hint =
    status === 401 || status === 403
      ? `Set the key variable your config names (OPENAI_API_KEY unless embedder.api_key_env says otherwise) to a key this server accepts; ${OFF}`
      : status === 404
        ? `Check the model name (FLOW_EMBED_MODEL, or embedder.model in your own config) against the models the server has; ${OFF}`
        : status === 429 || status >= 500
          ? `The server is overloaded or failing: retry later; ${OFF}`
          : `Check the embedder settings (FLOW_EMBED_MODEL, FLOW_EMBED_DIMENSIONS, the base URL) against what the server accepts; ${OFF}`;
  return new FlowError('embedder', `The embedding server at ${where} refused the request for model ${cfg.model} (HTTP ${status}: ${said}).`, hint, { status });
}

/** A search question's request: retries and how long one may take (the embedder's own settings cap both). */
const QUICK_RETRIES = 1;
const QUICK_TIMEOUT_MS = 15_000;

export function openaiEmbedder(cfg: OpenAIEmbedderConfig): Embedder {
  // The client library is loaded on the first embed, not at start-up: the handshake never pays for it.
  let client: OpenAI | undefined;
  let quickClient: OpenAI | undefined;
  const make = async (maxRetries: number, timeout: number): Promise<OpenAI> => {
    const { default: OpenAIClient } = await import('openai');
    return new OpenAIClient({ apiKey: cfg.apiKey ?? 'not-needed-for-local-servers', baseURL: cfg.baseURL, maxRetries, timeout });
  };
  // A question someone waits on: one retry at most, and a shorter wait (an unreachable server cost a
  // one-shot search ~4 s of retries before it answered by full text). Indexing keeps the patient client.
  const connect = async (quick = false): Promise<OpenAI> =>
    quick
      ? (quickClient ??= await make(Math.min(cfg.maxRetries ?? 3, QUICK_RETRIES), Math.min(cfg.timeoutMs ?? 60_000, QUICK_TIMEOUT_MS)))
      : (client ??= await make(cfg.maxRetries ?? 3, cfg.timeoutMs ?? 60_000));
  const batchSize = cfg.batchSize ?? 128;
  return {
    id: `openai:${cfg.model}@${cfg.dimensions}`,
    label: `openai:${cfg.model}`,
    dim: cfg.dimensions,
    local: false,
    async embed(texts, opts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => (t.trim() ? t : ' '));
        let res: OpenAI.Embeddings.CreateEmbeddingResponse;
        try {
          res = await (await connect(opts?.quick)).embeddings.create({
            model: cfg.model,
            input: batch,
            encoding_format: 'float',
            ...(cfg.sendDimensions ? { dimensions: cfg.dimensions } : {}),
          });
        } catch (e) {
          throw requestFailed(e, cfg);
        }
        if (!Array.isArray(res?.data)) throw badAnswer('embedding server answered without a list of embeddings (data)');
        if (res.data.length !== batch.length) {
          throw badAnswer(`embedding server returned ${res.data.length} vectors for ${batch.length} inputs`);
        }
        for (const item of [...res.data].sort((a, b) => a.index - b.index)) {
          const e = item.embedding as unknown;
          if (!Array.isArray(e)) {
            throw badAnswer(
              `embedding server answered ${typeof e === 'string' ? 'base64 text' : typeof e} instead of a list of floats; it must honour encoding_format "float"`,
            );
          }
          if (e.length !== cfg.dimensions) {
            throw badAnswer(
              `embedding server returned ${e.length}-dimension vectors, but the index expects ${cfg.dimensions}; set FLOW_EMBED_DIMENSIONS=${e.length} (which re-embeds everything) or use a model with ${cfg.dimensions}`,
              `Set FLOW_EMBED_DIMENSIONS=${e.length} (or embedder.dimensions in your own config), or use a model with ${cfg.dimensions}.`,
            );
          }
          const v = Float32Array.from(e as number[]);
          let norm = 0;
          for (const x of v) norm += x * x;
          norm = Math.sqrt(norm);
          if (norm > 0) for (let d = 0; d < v.length; d++) v[d]! /= norm;
          out.push(v);
        }
      }
      return out;
    },
  };
}
