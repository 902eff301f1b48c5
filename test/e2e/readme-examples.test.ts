// The README's examples that are not shell lines, taken from README.md itself and run against the
// built server over stdio on fresh projects:
// - every ```jsonc block headed `// tool: …` is sent call by call as MCP tool calls, and none may fail;
// - the /flow lines of the bare block in "/flow commands and plain language" go through the command tool;
// - each client configuration (```json / ```toml with a command and args) starts the server it names;
// - the embedder config file is read as the user's config and the server still answers a search.
// An example id the README can only show by example (t-4kx9, s-4kx9, c-8das) is replaced by the real
// one made before it. A fenced block none of this recognizes fails the first test, unless it is in
// NOT_EXAMPLES with the reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { blocks, readmeSandbox, type Block } from '../helpers/readme.js';
import { connect, type Connected } from '../helpers/server.js';

/** Fenced blocks that show no command, by their section and fence (```lang), and why. */
const NOT_EXAMPLES: Record<string, string> = {
  'Development ```': 'a map of the source folders, not a command',
  'Event hooks ```': 'a sample hook payload: what a hook receives, not something to run',
  'Event hooks ```json': 'the hook configs: written as config files and run by readme-commands.test.ts (the hooks example)',
};
const fenceOf = (b: Block) => `${b.section} \`\`\`${b.lang}`;

const isToolBlock = (b: Block) => b.lang === 'jsonc' && /^\/\/ tool: /m.test(b.body);
const isFlowBlock = (b: Block) => b.lang === '' && b.body.trim().startsWith('/flow ');
const isClientConfig = (b: Block) => (b.lang === 'json' && /"command"\s*:/.test(b.body)) || (b.lang === 'toml' && /^command\s*=/m.test(b.body));
const isEmbedderConfig = (b: Block) => b.lang === 'json' && /"embedder"\s*:/.test(b.body);

/** A line with its `// comment` cut off (not a `//` inside a JSON string). */
function uncomment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** The calls of a `// tool: …` block: each JSON object (one may span lines) with the tool named above it. */
function toolCalls(body: string): { tool: string; args: Record<string, unknown> }[] {
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  let tool = '';
  let pending = '';
  for (const line of body.split('\n')) {
    const named = /^\/\/ tool: (\w+)/.exec(line.trim());
    if (named) {
      tool = named[1]!;
      continue;
    }
    pending += uncomment(line) + '\n';
    if (!pending.trim()) continue;
    try {
      calls.push({ tool, args: JSON.parse(pending) as Record<string, unknown> });
      pending = '';
    } catch {
      // not whole yet: the object goes on on the next line
    }
  }
  expect(pending.trim(), `unreadable example:\n${pending}`).toBe('');
  return calls;
}

const box = readmeSandbox('flowmcp-readme-examples-');
const project = box.project;

/** A call that must succeed: no error, and not a question back (ambiguous, waiting for confirm). */
async function ok(s: Connected, tool: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const r = await s.call(tool, args);
  const out = r.structuredContent;
  expect(r.isError, `${tool} ${JSON.stringify(args)}\n${JSON.stringify(out)}`).toBeFalsy();
  expect(out.ambiguous ?? out.needs_confirmation, `${tool} ${JSON.stringify(args)}\n${JSON.stringify(out)}`).toBeFalsy();
  return out;
}

describe('the README examples beyond the shell', () => {
  it('every fenced block is run here, run as shell lines elsewhere, or named as no example', () => {
    const unknown = blocks().filter(
      (b) => b.lang !== 'sh' && !isToolBlock(b) && !isFlowBlock(b) && !isClientConfig(b) && !isEmbedderConfig(b) && NOT_EXAMPLES[fenceOf(b)] === undefined,
    );
    expect(unknown.map((b) => `${b.section}: \`\`\`${b.lang}\n${b.body.slice(0, 80)}`)).toEqual([]);
    expect(blocks().filter(isToolBlock).length).toBeGreaterThanOrEqual(3);
    for (const fence of Object.keys(NOT_EXAMPLES)) expect(blocks().some((b) => fenceOf(b) === fence), `NOT_EXAMPLES names ${fence}, no longer in the README`).toBe(true);
  });

  it('every tool call example succeeds, in order, with example ids replaced by real ones', async () => {
    const s = await connect({ dir: project('tools') });
    try {
      const ids = new Map<string, string>();
      // How to find the real thing an example id stands for, when a call first needs it.
      const resolve: Record<string, () => Promise<string>> = {
        // "t-4kx9": the task the tour made first (its claim and status change are the tour's next steps)
        't-4kx9': async () => (await ok(s, 'task', { action: 'list', limit: 1 })).tasks[0].id as string,
        // "s-4kx9": the snapshot the snapshot example just created
        's-4kx9': async () => (await ok(s, 'snapshot', { action: 'list', limit: 1 })).snapshots[0].id as string,
        // "c-8das": "an answered question", the one the example before saved
        'c-8das': async () => (await ok(s, 'context', { action: 'get' })).questions[0].id as string,
      };
      let calls = 0;
      for (const block of blocks().filter(isToolBlock)) {
        for (const { tool, args } of toolCalls(block.body)) {
          let text = JSON.stringify(args);
          for (const [example, find] of Object.entries(resolve)) {
            if (!text.includes(example)) continue;
            if (!ids.has(example)) ids.set(example, await find());
            text = text.replaceAll(example, ids.get(example)!);
          }
          const out = await ok(s, tool, JSON.parse(text) as Record<string, unknown>);
          calls++;
          // What the README's comments promise of these calls.
          if (tool === 'flow' && args.action === 'create') expect(out.current.flow_id).toBe(out.flow.id);
          if (tool === 'task' && args.action === 'claim') expect(out.task?.claim?.agent).toBe('claude-1');
          // ("also says which tasks it unblocked": none here, as End-to-end tests still waits on the form)
          if (tool === 'task' && args.action === 'set_status') expect(out.task.status).toBe('done');
          if (tool === 'snapshot' && args.action === 'restore') expect(out.undo_snapshot).toMatch(/^s-/);
          if (tool === 'context' && args.action === 'resume') expect(out.briefing ?? JSON.stringify(out)).toContain('Access tokens expire after 15 minutes');
        }
      }
      expect(calls).toBeGreaterThanOrEqual(15);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('every /flow example runs through the command tool', async () => {
    const s = await connect({ dir: project('flow-commands') });
    try {
      await ok(s, 'flow', { action: 'create', name: 'Commands' });
      await ok(s, 'plan', { action: 'create', title: 'Build' });
      // What the README's search example looks for.
      await ok(s, 'task', { action: 'create', title: 'Retry policy for uploads' });
      const lines = blocks()
        .filter(isFlowBlock)
        .flatMap((b) => b.body.split('\n'))
        .flatMap((l) => l.trim().split(/\s{2,}/))
        .filter((c) => c.startsWith('/flow '));
      expect(lines.length).toBeGreaterThanOrEqual(10);
      let snapshot = '';
      for (const line of lines) {
        // The placeholders, filled the way the README says they may be.
        const text = line
          .replace('<task>', 'Write tests') // a task by words of its title
          .replace('<id, number or title words>', '1') // a plan by its number
          .replace('<id>', snapshot)
          .replace(' [topic]', '');
        expect(text, line).not.toMatch(/[<[]/);
        const out = await ok(s, 'command', { text });
        if (line.startsWith('/flow snapshot create')) snapshot = JSON.stringify(out).match(/"(s-[a-z0-9]+)"/)?.[1] ?? '';
        if (line.startsWith('/flow search')) expect(JSON.stringify(out)).toContain('Retry policy for uploads');
      }
      expect(snapshot).not.toBe('');
    } finally {
      await s.close();
    }
  }, 60_000);

  it('each client configuration starts the server it names, which answers a ping', async () => {
    const configs = blocks().filter(isClientConfig);
    expect(configs.length).toBeGreaterThanOrEqual(4);
    for (const b of configs) {
      const cwd = project(`client-${configs.indexOf(b)}`);
      const [command, args] =
        b.lang === 'toml'
          ? [/^command\s*=\s*"([^"]+)"/m.exec(b.body)![1]!, JSON.parse(/^args\s*=\s*(\[.*\])/m.exec(b.body)![1]!) as string[]]
          : (() => {
              const server = Object.values((JSON.parse(b.body) as Record<string, Record<string, { command: string; args: string[] }>>)[b.body.includes('"mcpServers"') ? 'mcpServers' : 'servers']!)[0]!;
              return [server.command, server.args] as const;
            })();
      // The client fills in its project folder; the README's stand-ins are replaced by this one.
      const filled = args.map((a) => a.replace('${workspaceFolder}', cwd).replace('/absolute/path/to/your/project', cwd));
      const transport = new StdioClientTransport({ command, args: filled, cwd, env: box.env as Record<string, string>, stderr: 'pipe' });
      const client = new Client({ name: `readme-${b.section}`, version: '1.0.0' });
      try {
        await client.connect(transport);
        await client.ping();
        expect((await client.listTools()).tools.length, b.section).toBe(8);
      } finally {
        await client.close();
      }
    }
  }, 60_000);

  it('the embedder config file is read as the user config, and search still answers', async () => {
    const [b] = blocks().filter(isEmbedderConfig);
    expect(b).toBeDefined();
    const file = join(box.dir, 'config.json');
    writeFileSync(file, b!.body);
    const cwd = project('embedder-config');
    // Its base_url (a local Ollama) is not running here: search answers by full text and says why.
    const s = await connect({ dir: cwd, env: { FLOWMCP_CONFIG: file, OPENAI_API_KEY: 'sk-test' } });
    try {
      await ok(s, 'flow', { action: 'create', name: 'Embedder' });
      await ok(s, 'plan', { action: 'create', title: 'Retry uploads' });
      const out = await ok(s, 'search', { query: 'retry uploads' });
      expect(JSON.stringify(out)).toContain('Retry uploads');
      expect(s.stderr()).not.toMatch(/config.*(invalid|not allowed|broken)/i);
    } finally {
      await s.close();
    }
  }, 60_000);
});
