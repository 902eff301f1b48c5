// Connects the SDK's real Client to the built server over stdio, as an assistant would.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A server over stdio; with `onStderr`, its diagnostics (at debug level) are handed over line by line. */
export async function connectStdio(dir: string, onStderr?: (line: string) => void): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--dir', dir],
    stderr: onStderr ? 'pipe' : 'ignore',
    env: onStderr ? { ...(process.env as Record<string, string>), FLOW_LOG: 'debug' } : undefined,
  });
  let rest = '';
  transport.stderr?.on('data', (b: Buffer) => {
    const lines = (rest + b.toString()).split('\n');
    rest = lines.pop()!;
    for (const l of lines) onStderr!(l);
  });
  const client = new Client({ name: 'flowmcp-bench', version: '1' });
  await client.connect(transport);
  return client;
}
