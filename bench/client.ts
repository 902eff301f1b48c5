// Connects the SDK's real Client to the built server over stdio, as an assistant would.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export async function connectStdio(dir: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve', '--dir', dir], stderr: 'ignore' });
  const client = new Client({ name: 'flowmcp-bench', version: '1' });
  await client.connect(transport);
  return client;
}
