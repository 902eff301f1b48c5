// A small OpenAI-compatible embeddings server on 127.0.0.1, for the real `openai` client to talk to.
// Vectors come from a function the test chooses, so a test can place a paraphrase near its original.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAI {
  baseURL: string;
  requests: { model: string; input: string[]; encoding_format?: string; dimensions?: number }[];
  chats: { model: string; messages: { role: string; content: string }[] }[];
  /** The Authorization header of every request, whatever its path (undefined when none was sent). */
  authorizations: (string | undefined)[];
  /** Every input text the server has embedded, in order. */
  inputs(): string[];
  /** With `hold` (or `holdBatches`): answers every embeddings request held so far, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  dim: number;
  vector?: (text: string) => number[];
  /** Misbehaviours of some compatible servers. */
  answer?: 'float' | 'base64' | 'wrong-dimension' | 'error' | 'unavailable';
  /** Answers requests with more than one input this much later (a slow server re-embedding a corpus). */
  batchDelayMs?: number;
  /** Holds every embeddings answer until release() (a request kept in flight for as long as a test needs). */
  hold?: boolean;
  /** Holds only requests with more than one input (indexing's batches) until release(); a search's one question is answered at once. */
  holdBatches?: boolean;
  /** Answers /chat/completions with this function's text (for the command translator). */
  chat?: (messages: { role: string; content: string }[]) => string;
}

/** A deterministic bag-of-words vector: the same words give the same vector. */
export function hashedVector(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const c of w) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    v[Math.abs(h) % dim]! += 1;
  }
  return v;
}

export async function startFakeOpenAI(opts: FakeOptions): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const chats: FakeOpenAI['chats'] = [];
  const authorizations: FakeOpenAI['authorizations'] = [];
  let held: (() => void)[] | undefined = opts.hold || opts.holdBatches ? [] : undefined;
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/chat/completions') && opts.chat) {
        const body2 = JSON.parse(body) as { model: string; messages: { role: string; content: string }[] };
        chats.push(body2);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chat-1',
            object: 'chat.completion',
            created: 0,
            model: body2.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: opts.chat(body2.messages) } }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string | string[]; encoding_format?: string; dimensions?: number };
      const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      requests.push({ model: parsed.model, input, encoding_format: parsed.encoding_format, dimensions: parsed.dimensions });
      if (opts.answer === 'unavailable') {
        // Retryable, with no wait asked for: a client decides how often to try again.
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '1' }).end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
        return;
      }
      if (opts.answer === 'error') {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'model not found', type: 'invalid_request_error' } }));
        return;
      }
      const dim = opts.answer === 'wrong-dimension' ? opts.dim / 2 : opts.dim;
      const delay = input.length > 1 ? (opts.batchDelayMs ?? 0) : 0;
      const data = input.map((text, index) => {
        const v = (opts.vector ?? ((t: string) => hashedVector(t, dim)))(text).slice(0, dim);
        const embedding = opts.answer === 'base64' ? Buffer.from(Float32Array.from(v).buffer).toString('base64') : v;
        return { object: 'embedding', index, embedding };
      });
      const answer = () =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ object: 'list', data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        }, delay);
      if (held && (opts.hold || input.length > 1)) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    const waiting = held ?? [];
    held = undefined;
    for (const a of waiting) a();
  };
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chats,
    authorizations,
    inputs: () => requests.flatMap((r) => r.input),
    release,
    // Held answers go out first: a test that failed mid-way must still be able to close.
    close: () => (release(), new Promise((r) => server.close(() => r()))),
  };
}
