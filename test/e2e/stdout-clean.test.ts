// stdout belongs to the protocol in stdio mode: every byte the server writes there must be a JSON-RPC
// message, even when calls fail and when the server logs.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stdio framing', () => {
  it('writes only newline-delimited JSON-RPC to stdout; logs go to stderr', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve', '--dir', dir], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FLOW_LOG: 'debug' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
    child.stdin.write('hello, this is not json\n'); // dropped, said on stderr, and the session goes on
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flow', arguments: { action: 'create', name: 'x' } } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'task', arguments: { action: 'bogus' } } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/list' });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to all 4 requests; stdout so far: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        if (out.includes('"id":4')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stdin.end();
    await new Promise((r) => child.on('exit', r));
    const lines = out.split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const l of lines) expect(JSON.parse(l).jsonrpc).toBe('2.0');
    expect(err).toMatch(/flowmcp (info|debug):/);
    expect(err).toMatch(/flowmcp warn: a message on stdin could not be read and was ignored/);
    expect(err).toMatch(/flowmcp info: serving MCP on stdio .*the project folder is chosen when the client connects/);
  });
});
