// Every command line of the README's ```sh blocks is exercised, taken from README.md itself:
// - the tour's lines ("A one-minute tour", "Documents and search") by readme-tour.test.ts;
// - the lines of RUN_SECTIONS here, in README order, on a fresh project with the files they name,
//   each must exit 0 and, where the README says what comes out, that is checked;
// - every line that starts a server (`flowmcp serve …`, also behind `claude mcp add … --`, environment
//   settings or `npm start`) is started as written and answers an MCP ping, then is stopped;
// - what cannot run in a test is in SKIPPED, with the reason.
// A line in none of these fails the first test, so a new README example must be run or skipped here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnTracked } from '../helpers/children.js';
import { connectHttp } from '../helpers/http-server.js';
import { blocks, readmeSandbox, ROOT, shellLines, tourCommands, TOUR_SECTIONS, type ShellLine } from '../helpers/readme.js';
import { runTracked } from '../helpers/children.js';
import { Receiver, waitFor } from '../helpers/hooks.js';
import { createHmac } from 'node:crypto';
import { assertBuilt } from '../helpers/server.js';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { dispatch } from '../../src/tools/dispatch.js';
import { findToolSpec } from '../../src/tools/registry.js';

/** Sections whose ```sh lines (other than servers) run here, in README order. */
const RUN_SECTIONS = [
  'Context: resuming work in a new session',
  'Snapshots: try anything, undo it',
  'Moving from the earlier Flow system, and exporting',
  'Events: what changed, as it happens',
  'Event hooks',
];

/** Commands that cannot run in a test, by their exact text, and why; checked to still be in the README. */
const SKIPPED: Record<string, string> = {
  // `npm ci && npm start --silent`: npm start is started below as a server; npm ci would reinstall the tree
  // these tests run from (and needs the registry).
  'npm ci': 'reinstalls node_modules from the registry: the suite runs on the installed tree',
  'npm test': 'is this test suite (it would run itself)',
  'claude mcp add flow': 'is Claude Code, another program: the command it is given after -- is started below',
  'claude mcp add --scope user flow': 'is Claude Code, another program: the command it is given after -- is started below',
  'flowmcp events --follow --json': 'does not return: test/cli/events.test.ts follows changes made by another process and stops it with SIGTERM',
  'flowmcp ui': 'does not return: test/cli/ui.test.ts starts it, reads the link it prints and signs in with it',
  'curl -s -X POST -H "Authorization: Bearer $FLOW_TOKEN" http://127.0.0.1:8765/ui/link':
    'needs the HTTP server running: test/web/security.test.ts asks a real server for links, with and without the token',
  'curl -N -H "Authorization: Bearer $FLOW_TOKEN" "http://127.0.0.1:8765/events?since=0"':
    'needs the HTTP server running and does not return: test/server/event-stream.test.ts reads /events from a real server',
};

/** What a line asks flowmcp to run: the command after `claude mcp add … --`, each part of `a && b`. */
function parts(l: ShellLine): string[] {
  return l.command.split(/\s+&&\s+/).flatMap((c) => {
    const behind = /^(claude mcp add .*?) -- (.*)$/.exec(c);
    return behind ? [behind[1]!, behind[2]!] : [c];
  });
}

const NPM_START = 'npm start --silent';
const isServer = (c: string) => /(^|\s)flowmcp serve\b/.test(c) || c === NPM_START;

beforeAll(assertBuilt);
const box = readmeSandbox('flowmcp-readme-commands-');
const project = box.project;

function sh(command: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('bash', ['-c', command], { cwd, env: box.env, encoding: 'utf8', timeout: 60_000 });
}

function mustRun(command: string, cwd: string): string {
  const r = sh(command, cwd);
  expect(r.status, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('the README commands', () => {
  it('every ```sh line is run by a test, started as a server, or skipped with a reason', () => {
    const lines = shellLines();
    const tour = new Set(tourCommands());
    const unhandled: string[] = [];
    for (const l of lines) {
      if (TOUR_SECTIONS.includes(l.section) && tour.has(l.line)) continue;
      for (const c of parts(l)) {
        if (isServer(c) || SKIPPED[c] !== undefined || RUN_SECTIONS.includes(l.section)) continue;
        unhandled.push(`${l.section}: ${c}`);
      }
    }
    expect(unhandled, 'README commands nobody runs: run them here or add them to SKIPPED with the reason').toEqual([]);
    // A skip whose command left the README is stale.
    const all = new Set(lines.flatMap(parts));
    for (const c of Object.keys(SKIPPED)) expect(all.has(c), `SKIPPED names "${c}", which the README no longer shows`).toBe(true);
    for (const s of RUN_SECTIONS) expect(lines.some((l) => l.section === s), `no sh block in "${s}"`).toBe(true);
  });

  it('the context example saves a decision and a question, and the briefing and history show them', () => {
    const cwd = project('context');
    mustRun('flowmcp flow create "Auth" && flowmcp plan create Build', cwd);
    const out = new Map<string, string>();
    for (const l of shellLines().filter((x) => x.section === RUN_SECTIONS[0])) out.set(l.command, mustRun(l.command, cwd));
    const [save, resume, history] = [...out.keys()];
    expect(save).toMatch(/^flowmcp context save /);
    expect(out.get(resume!)).toContain('Argon2id for passwords');
    expect(out.get(resume!)).toContain('Who rotates the keys?');
    expect(out.get(history!)).toContain('Argon2id for passwords');
    expect(out.get(history!)).not.toContain('Who rotates the keys?'); // --kind decision only
  });

  it('the snapshot example creates, lists, diffs and restores a snapshot, then recover rebuilds', () => {
    const cwd = project('snapshots');
    mustRun('flowmcp flow create "Checkout" && flowmcp plan create Build && flowmcp task create "Before the snapshot"', cwd);
    let id = '';
    for (const l of shellLines().filter((x) => x.section === RUN_SECTIONS[1])) {
      // The README can only show a snapshot id by example (s-4kx9): the one created here is used.
      const command = id ? l.command.replaceAll('s-4kx9', id) : l.command;
      if (command.startsWith('flowmcp snapshot diff')) mustRun('flowmcp task create "After the snapshot"', cwd);
      const stdout = mustRun(command, cwd);
      if (command.startsWith('flowmcp snapshot create')) {
        id = /^\s*id:\s+(s-\S+)/m.exec(stdout)?.[1] ?? '';
        expect(id, stdout).not.toBe('');
        expect(stdout).toContain('before refactor');
      }
      if (command === 'flowmcp snapshot list') expect(stdout).toContain(id);
      if (command.startsWith('flowmcp snapshot diff')) expect(stdout).toContain('After the snapshot');
    }
    expect(id).not.toBe('');
    // The restore took the task made after the snapshot away, and recover kept the work.
    const tasks = mustRun('flowmcp task list', cwd);
    expect(tasks).toContain('Before the snapshot');
    expect(tasks).not.toContain('After the snapshot');
  });

  it('the import and export example reads each legacy file and writes an export that reads back', () => {
    const cwd = project('import');
    const samples = join(ROOT, 'test', 'fixtures', 'legacy-samples');
    mkdirSync(join(cwd, '.ai-brain'));
    copyFileSync(join(samples, 'flows.91670e6.json'), join(cwd, '.ai-brain', 'flows.json'));
    copyFileSync(join(samples, 'workflow.f0ab8f7.json'), join(cwd, '.ai-brain', 'workflow.json'));
    copyFileSync(join(samples, 'context.b860d25.json'), join(cwd, '.ai-brain', 'context.json'));
    const legacyCurrent = (JSON.parse(readFileSync(join(samples, 'flows.91670e6.json'), 'utf8')) as { current_flow_id: string }).current_flow_id;
    writeFileSync(join(cwd, '.ai-brain', 'current_flow.txt'), legacyCurrent + '\n');
    const flowId = /^\s*id:\s+(f-\S+)/m.exec(mustRun('flowmcp flow create "Context goes here"', cwd))![1]!;
    const lines = shellLines().filter((x) => x.section === RUN_SECTIONS[2]);
    for (const l of lines) {
      const command = l.command.replaceAll('<id>', flowId);
      const before = command.endsWith('--dry-run') ? mustRun('flowmcp flow list --json', cwd) : undefined;
      const stdout = mustRun(command, cwd);
      if (before !== undefined) expect(mustRun('flowmcp flow list --json', cwd)).toBe(before); // a dry run changes nothing
      // "flat task lists land in a plan named Legacy" (of a flow named after the old project)
      if (command.startsWith('flowmcp import .ai-brain/workflow.json')) {
        const flows = (JSON.parse(mustRun('flowmcp flow list --json', cwd)) as { flows: { id: string; name: string }[] }).flows;
        const legacy = flows.find((f) => f.name === 'ai-coding-brain-mcp');
        expect(legacy, stdout).toBeDefined();
        expect(mustRun(`flowmcp plan list --flow-id ${legacy!.id}`, cwd)).toMatch(/\bLegacy\b/);
      }
      if (command === 'flowmcp import .ai-brain/flows.json --dry-run') expect(stdout).toMatch(/dry_run:\s+true/);
      if (command.startsWith('flowmcp import .ai-brain/context.json')) {
        const context = JSON.parse(mustRun(`flowmcp context get --flow-id ${flowId} --json`, cwd)) as { decisions: unknown[] };
        expect(context.decisions.length, stdout).toBeGreaterThan(0);
      }
    }
    expect(lines.some((l) => l.command.startsWith('flowmcp export'))).toBe(true);
    const exported = JSON.parse(readFileSync(join(cwd, 'flows.json'), 'utf8')) as { version?: string; flows?: unknown };
    expect(exported.version).toBe('3.0');
    expect(exported.flows).toBeDefined();
    // The export reads back into a new project.
    const again = project('import-again');
    copyFileSync(join(cwd, 'flows.json'), join(again, 'flows.json'));
    mustRun('flowmcp import flows.json', again);
  });

  it('the events example prints the log, after a seq as NDJSON, and filtered', () => {
    const cwd = project('events');
    mustRun('flowmcp flow create "Billing" && flowmcp plan create Build && flowmcp task create "Invoices"', cwd);
    // 40 more events, so `--since 41` has some to print: written through the tools in this process (40 CLI
    // starts took most of the test's minute on a loaded machine; the README's own lines still run as the CLI).
    const ws = Workspace.open(cwd);
    try {
      const call = { ws, session: ws.session('readme-setup') };
      const id = (dispatch(findToolSpec('task')!, call, { action: 'list' }).structured.tasks as { id: string }[])[0]!.id;
      for (let i = 0; i < 40; i++) expect(dispatch(findToolSpec('task')!, call, { action: 'update', id, description: `pass ${i}` }).isError).toBeFalsy();
    } finally {
      ws.close();
    }
    const lines = shellLines().filter((x) => x.section === RUN_SECTIONS[3] && SKIPPED[x.command] === undefined);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      const stdout = mustRun(l.command, cwd);
      if (l.command === 'flowmcp events') expect(stdout.trim().split('\n')[0]).toMatch(/^1  \S+Z  \S+  flow\.create  f-\S+  created flow "Billing"$/);
      if (l.command.startsWith('flowmcp events --since 41 --json')) {
        const seqs = stdout.trim().split('\n').map((x) => (JSON.parse(x) as { seq: number }).seq);
        expect(seqs[0]).toBe(42);
      }
    }
  });

  it('the hooks example: the project guard refuses once trusted, the plan-done hook posts signed to a receiver', async () => {
    const cwd = project('hooks');
    const [mine, theirs] = blocks().filter((b) => b.section === RUN_SECTIONS[4] && b.lang === 'json');
    const receiver = await new Receiver().start();
    try {
      // The README's own config, its chat URL swapped for a loopback receiver.
      const cfg = join(cwd, '..', 'hooks-user-config.json');
      writeFileSync(cfg, mine!.body.replace('https://chat.example.com/hooks/flowmcp', receiver.url));
      mkdirSync(join(cwd, '.flow'));
      writeFileSync(join(cwd, '.flow', 'config.json'), theirs!.body);
      mkdirSync(join(cwd, 'scripts'));
      writeFileSync(join(cwd, 'scripts', 'no-cancel.mjs'), "console.log('cancelling needs a lead: ask in #planning'); process.exit(1);\n");
      const env = { ...box.env, FLOWMCP_CONFIG: cfg, CHAT_HOOK_SECRET: 'readme-secret' };
      // Asynchronous: the receiver answers from this process while the CLI runs.
      const run = async (command: string) => {
        const r = await runTracked('bash', ['-c', command], { cwd, env });
        return { ...r, out: r.stdout };
      };
      const ok = async (command: string) => {
        const r = await run(command);
        expect(r.code, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
        return r.stdout;
      };
      for (const l of shellLines().filter((x) => x.section === RUN_SECTIONS[4])) {
        const stdout = await ok(l.command);
        if (l.command === 'flowmcp hooks list') expect(stdout).toMatch(/no-cancel\s+project\s+pre\s+task\.status_changed\s+untrusted/);
        if (l.command.startsWith('flowmcp hooks trust')) expect(stdout).toContain('trusted no-cancel');
        if (l.command.startsWith('flowmcp hooks test')) expect(receiver.got[0]!.json).toMatchObject({ test: true, event: 'plan.completed' });
      }
      await ok('flowmcp flow create Launch && flowmcp plan create Ship');
      const task = JSON.parse(await ok('flowmcp task create "Write the notes" --json')).task;
      const refused = await run(`flowmcp task set_status ${task.id} cancelled`);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('The hook "no-cancel" refused task set_status: cancelling needs a lead: ask in #planning');
      await ok(`flowmcp plan update ${task.plan_id} --status done`);
      const done = await waitFor('the plan.completed post', () => receiver.got.find((d) => d.json.event === 'plan.completed' && !d.json.test));
      expect(done.json).toMatchObject({ entity_id: task.plan_id, status: 'done' });
      expect(done.headers['x-flowmcp-signature']).toBe(`sha256=${createHmac('sha256', 'readme-secret').update(done.body).digest('hex')}`);
    } finally {
      await receiver.stop();
    }
  });

  it('every server the README starts starts as written and answers a ping', async () => {
    const servers = shellLines().flatMap(parts).filter(isServer);
    expect(servers.filter((c) => c.includes('--http')).length).toBeGreaterThan(0);
    for (const command of servers) {
      const cwd = project(`serve-${servers.indexOf(command)}`);
      if (command.includes('--http')) await pingHttp(command, cwd);
      else await pingStdio(command, cwd);
    }
  }, 120_000);
});

/** A stdio server started by the README's line, in the project folder (npm start: from the package, with `-- --dir`). */
async function pingStdio(command: string, cwd: string): Promise<void> {
  const npm = command === NPM_START;
  const transport = new StdioClientTransport({
    command: 'bash',
    // --silent keeps npm's own banner off stdout, which belongs to the protocol.
    args: ['-c', npm ? `${NPM_START} -- --dir '${cwd}'` : command],
    cwd: npm ? ROOT : cwd,
    env: box.env as Record<string, string>,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'readme-commands', version: '1.0.0' });
  try {
    await client.connect(transport);
    await client.ping();
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort(), `${command}\n${err}`).toEqual(['command', 'context', 'document', 'flow', 'plan', 'search', 'snapshot', 'task']);
  } catch (e) {
    throw new Error(`${command}: ${String(e)}\n${err}`);
  } finally {
    await client.close();
  }
}

/** An HTTP server started by the README's line on a free port (`--port 0`), its token known to the test. */
async function pingHttp(command: string, cwd: string): Promise<void> {
  const token = 'readme-token-0123456789abcdef0123456789abcdef';
  const line = `${command.replace('$(openssl rand -hex 24)', token)} --port 0`;
  const child = spawnTracked('bash', ['-c', line], { cwd, env: box.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /serving MCP at (http:\/\/\S+\/mcp)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`${line} exited (${code}) before listening:\n${err}`)));
    });
    const local = new URL(url);
    local.hostname = '127.0.0.1';
    const c = await connectHttp(local.toString(), command.includes('FLOW_TOKEN=') ? { token } : {});
    await c.client.ping();
    await c.close();
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }
}
