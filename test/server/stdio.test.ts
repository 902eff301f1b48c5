// The stdio server, spoken to line by line as a client does: a message too long to take is answered
// with an error naming the limit (to its id, when the message ends with one, as the SDK's client writes
// them), and the session goes on. The SDK's transport closed the whole session at 10 MB instead: the
// server exited, and every later call of that assistant session failed with "Connection closed".
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawnTracked } from '../helpers/children.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = dir = undefined;
});

/** The server as a client starts it, with its answers read one JSON line at a time. */
function start(prepare?: (dir: string) => void) {
  assertBuilt();
  dir = tempDir();
  prepare?.(dir);
  child = spawnTracked(process.execPath, [CLI, 'serve', '--dir', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiting: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiting.splice(0)) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
  const answers = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id?: unknown; result?: any; error?: { code: number; message: string } });
  const answerTo = async (id: unknown) => {
    for (;;) {
      const found = answers().find((a) => a.id === id);
      if (found) return found;
      const gone = await Promise.race([new Promise<false>((r) => waiting.push(() => r(false))), exited.then(() => true)]);
      if (gone && !answers().some((a) => a.id === id)) throw new Error(`server exited before answering ${String(id)}:\n${err}`);
    }
  };
  const send = (line: string | Buffer) => new Promise<void>((resolve) => child!.stdin!.write(line, () => resolve()));
  return { send, answerTo, answers, stderr: () => err, end: () => child!.stdin!.end(), exited };
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const call = (id: number, args: Record<string, unknown>) => JSON.stringify({ method: 'tools/call', params: { name: 'flow', arguments: args }, jsonrpc: '2.0', id }) + '\n';

describe('stdio server', () => {
  it('answers a message over 16 MB with an error to its id and keeps serving', async () => {
    const s = start();
    await s.send(JSON.stringify(INIT) + '\n');
    expect((await s.answerTo(1)).result.serverInfo.name).toBe('flow');
    await s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    // A flow description far past what the tools take, in a message past what the server reads.
    const big = call(2, { action: 'create', name: 'Big', description: 'x'.repeat(17 * 1024 * 1024) });
    await s.send(big);
    const refused = await s.answerTo(2);
    expect(refused.error).toEqual({ code: -32600, message: expect.stringMatching(/^The message is over 16 MB \([\d,]+ bytes\), so it was not read\. Nothing was changed\./) });
    expect(s.stderr()).toMatch(/flowmcp warn: a message on stdin of \d+ bytes is over 16 MB: not read, answered with an error/);
    await s.send(call(3, { action: 'create', name: 'Small' }));
    expect((await s.answerTo(3)).result.structuredContent.flow.name).toBe('Small');
  }, 60_000);

  it('a request the protocol cannot read is answered with an error to its id (it was dropped unanswered), and the session goes on', async () => {
    const s = start();
    await s.send(JSON.stringify(INIT) + '\n');
    await s.answerTo(1);
    await s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    const malformed = [
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flow', arguments: { action: 'list' }, _meta: { progressToken: true } } },
      { jsonrpc: '1.0', id: 3, method: 'ping' },
      { id: 'four', method: 'ping' },
      { jsonrpc: '2.0', id: 5, method: 5 },
    ];
    for (const m of malformed) await s.send(JSON.stringify(m) + '\n');
    // A response the client sends, however wrong, is never answered.
    await s.send(JSON.stringify({ jsonrpc: '2.0', id: 6, result: 5, error: 1 }) + '\n');
    // Lines are read in order: once the next request is answered, so is every line before it.
    await s.send(call(7, { action: 'list' }));
    expect((await s.answerTo(7)).result.structuredContent.flows).toEqual([]);
    for (const m of malformed) {
      const a = s.answers().find((x) => x.id === m.id);
      expect(a?.error).toEqual({ code: -32600, message: expect.stringMatching(/^The request is not a JSON-RPC 2\.0 message MCP can read \(.+\), so nothing was run\. Send /s) });
    }
    expect(s.answers().filter((a) => a.id === 6)).toEqual([]);
  }, 60_000);

  it('a client that sends its requests and closes stdin gets every answer before the server exits', async () => {
    // Piped in whole (a script: requests | flowmcp serve): stdin ends while the index is still running.
    const s = start((d) => {
      mkdirSync(join(d, 'docs'));
      for (let i = 0; i < 300; i++) writeFileSync(join(d, 'docs', `d${i}.md`), `# Doc ${i}\n\nText about widget ${i}.\n`);
    });
    await s.send(
      [
        JSON.stringify(INIT),
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'document', arguments: { action: 'index', paths: ['docs/**'] } } }),
      ].join('\n') + '\n',
    );
    s.end();
    expect((await s.answerTo(2)).result.structuredContent.report.indexed_count).toBe(300);
    expect(await s.exited).toBe(0);
  }, 60_000);
});
