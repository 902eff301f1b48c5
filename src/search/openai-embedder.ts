// The `openai` embedder: OpenAI or any OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, Azure).
// Asks for floats explicitly and checks every vector's length: some compatible servers answer base64
// or another dimension, and a silently short vector would poison the index.
import type OpenAI from 'openai';
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

export class EmbedderError extends Error {}

export function openaiEmbedder(cfg: OpenAIEmbedderConfig): Embedder {
  // The client library is loaded on the first embed, not at start-up: the handshake never pays for it.
  let client: OpenAI | undefined;
  const connect = async (): Promise<OpenAI> => {
    if (!client) {
      const { default: OpenAIClient } = await import('openai');
      client = new OpenAIClient({
        apiKey: cfg.apiKey ?? 'not-needed-for-local-servers',
        baseURL: cfg.baseURL,
        maxRetries: cfg.maxRetries ?? 3,
        timeout: cfg.timeoutMs ?? 60_000,
      });
    }
    return client;
  };
  const batchSize = cfg.batchSize ?? 128;
  return {
    id: `openai:${cfg.model}@${cfg.dimensions}`,
    label: `openai:${cfg.model}`,
    dim: cfg.dimensions,
    local: false,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => (t.trim() ? t : ' '));
        const res = await (await connect()).embeddings.create({
          model: cfg.model,
          input: batch,
          encoding_format: 'float',
          ...(cfg.sendDimensions ? { dimensions: cfg.dimensions } : {}),
        });
        if (res.data.length !== batch.length) {
          throw new EmbedderError(`embedding server returned ${res.data.length} vectors for ${batch.length} inputs`);
        }
        for (const item of [...res.data].sort((a, b) => a.index - b.index)) {
          const e = item.embedding as unknown;
          if (!Array.isArray(e)) {
            throw new EmbedderError(
              `embedding server answered ${typeof e === 'string' ? 'base64 text' : typeof e} instead of a list of floats; it must honour encoding_format "float"`,
            );
          }
          if (e.length !== cfg.dimensions) {
            throw new EmbedderError(
              `embedding server returned ${e.length}-dimension vectors, but the index expects ${cfg.dimensions}; set FLOW_EMBED_DIMENSIONS=${e.length} (which re-embeds everything) or use a model with ${cfg.dimensions}`,
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
