// The CLI face: same operations as the MCP tools, tables for people, --json for scripts, exit codes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/server.js';
import { cliProject } from '../helpers/cli.js';


const project = cliProject('cli-test');
const run = project.run;

function json(...args: string[]) {
  const r = run(...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

describe('flowmcp CLI', () => {
  it('doc write takes its text from standard input with --content -, and text given as an argument is pointed to --content', () => {
    json('flow', 'create', 'Stdin');
    json('plan', 'create', 'P');
    const w = spawnSync(process.execPath, [CLI, 'doc', 'write', 'notes/piped.md', '--content', '-', '--json', '--dir', project.dir()], { encoding: 'utf8', input: '# Piped\n\nFrom a pipe.\n' });
    expect(w.status, w.stderr).toBe(0);
    expect(json('doc', 'read', 'notes/piped.md').content).toBe('# Piped\n\nFrom a pipe.\n');
    // Piped without --content -: pointed to the flag, never read (a stdin pipe left open would hang it).
    const bare = spawnSync(process.execPath, [CLI, 'doc', 'write', 'notes/bare.md', '--dir', project.dir()], { encoding: 'utf8', input: '# Bare\n\nNo flag.\n' });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^error: document write: --content is required; to take the text from standard input, write --content -\.\nhint: flowmcp doc write notes\/x\.md --content - < x\.md\n$/);
    expect(run('doc', 'read', 'notes/bare.md').code).not.toBe(0);
    const r = run('doc', 'write', 'notes/x.md', 'some text');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Text goes in --content "…" (or --content - to read it from standard input).');
    expect(run('context', 'save', 'a summary').err).toContain('Text goes in --summary "…".');
  });

  it('task create --tasks - takes the batch from standard input (hundreds of tasks do not fit a command line)', () => {
    json('flow', 'create', 'Batch');
    json('plan', 'create', 'P');
    const batch = Array.from({ length: 300 }, (_, i) => ({ title: `Batch task ${i + 1}`, description: 'x'.repeat(200) }));
    const r = spawnSync(process.execPath, [CLI, 'task', 'create', '--tasks', '-', '--json', '--dir', project.dir()], { encoding: 'utf8', input: JSON.stringify(batch) });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).created).toBe(300);
    const bad = spawnSync(process.execPath, [CLI, 'task', 'create', '--tasks', '-', '--dir', project.dir()], { encoding: 'utf8', input: 'not json' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tasks must be a JSON list of tasks');
  });

  it('a flag before the command, or a short flag, says how it is written', () => {
    const before = run('--priority', 'high', 'task', 'create', 'X');
    expect(before.code).toBe(2);
    expect(before.err).toContain('--priority is not a flag that comes before the command; only --dir and --json do.');
    expect(before.err).toContain('Write it after the command: flowmcp <command> ... --priority high.');
    const early = run('task', '--jsn', 'list');
    expect(early.code).toBe(2);
    expect(early.err).toContain('task: --jsn came before the action, and took the next word as its value.');
    expect(early.err).toContain('Write the action first: flowmcp task <action> [--flags]; actions: create,');
    const short = run('task', 'list', '-s', 'todo');
    expect(short.err).toContain('-s is not a flag: flags are written in full (did you mean --status?).');
    expect(short.err).toContain('flowmcp task list --help lists them.');
    // A tool of one action (search) is named without it; a letter no flag begins with lists examples.
    const k = run('search', 'proxy', '-k', '3');
    expect(k.err).toContain('-k is not a flag: flags are written in full (did you mean --k or --kind?).');
    expect(k.err).toContain('hint: flowmcp search --help lists them.');
    expect(run('task', 'list', '-z').err).toContain('-z is not a flag: flags are written in full (--status, --plan-id, ...).');
  });

  it('a first guess at a command (status, next, init, done) says where that is; plural nouns are the nouns', () => {
    const status = run('status');
    expect(status.code).toBe(2);
    expect(status.err).toContain('unknown command "status". The current flow, plan and the next task: flowmcp run "/flow status".');
    expect(run('next').err).toContain('flowmcp task next');
    expect(run('init').err).toContain('a project is made here on first use');
    expect(run('done', 't-1').err).toContain('flowmcp task set_status <task> done');
    json('flow', 'create', 'Plurals');
    expect(json('flows', 'list').flows.map((f: { name: string }) => f.name)).toContain('Plurals');
    expect(json('tasks', 'list').tasks).toEqual([]);
  });

  it('a mistyped action is named with the closest one, with or without arguments after it; hyphens work', () => {
    for (const args of [['snapshot', 'restor', 's-1'], ['snapshot', 'restor'], ['task', 'set-stats', 't-1', 'done']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/unknown action .*Did you mean (restore|set_status)\?/);
    }
    json('flow', 'create', 'Typos');
    json('plan', 'create', 'P');
    const t = json('task', 'create', 'Hyphenated').task.id as string;
    expect(json('task', 'set-status', t, 'done').task.status).toBe('done');
  });

  it('exits 1 when nothing ran because the answer is a question back; help for an unknown topic says so', () => {
    json('flow', 'create', 'Exit codes');
    json('plan', 'create', 'P');
    json('task', 'create', 'Write login tests');
    const signup = json('task', 'create', 'Write signup tests').task.id as string;
    const ambiguous = run('run', '/flow done write tests');
    expect(ambiguous.code, ambiguous.out).toBe(1);
    expect(ambiguous.out).toMatch(/Write login tests/);
    json('task', 'delete', signup, '--confirm');
    const undo = run('run', '/flow undo delete');
    expect(undo.code, undo.out + undo.err).toBe(1);
    expect(undo.out).toMatch(/needs_confirmation/);
    expect(run('task', 'get', signup).code).toBe(1); // the preview changed nothing
    const unknown = run('help', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no help topic "frobnicate"/);
  });

  it('context save takes a decision\'s reason as --why, as /flow save context does; --why alone is refused', () => {
    json('flow', 'create', 'Why flag');
    expect(json('context', 'save', '--decision', 'Argon2id for passwords', '--why', 'OWASP recommends it').saved).toEqual([expect.objectContaining({ kind: 'decision' })]);
    const ctx = json('context', 'get');
    expect(JSON.stringify(ctx.decisions)).toContain('OWASP recommends it');
    const alone = run('context', 'save', '--why', 'no decision');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--why is the reason for a --decision');
    // And /flow help for an unknown topic is refused, exit 1.
    const topic = run('run', '/flow help frobnicate');
    expect(topic.code).toBe(1);
    expect(topic.out + topic.err).toMatch(/No help topic "frobnicate"/);
  });

  it('takes the global flags --dir and --json before the command too', () => {
    const r = spawnSync(process.execPath, [CLI, '--dir', project.dir(), '--json', 'flow', 'list'], { encoding: 'utf8', env: { ...process.env, FLOW_AGENT: 'cli-test' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('flows');
  });

  it('creates and lists work, remembering the current flow and plan between invocations', () => {
    const flow = json('flow', 'create', 'Release 2.0', '--description', 'ship it');
    expect(flow.flow.name).toBe('Release 2.0');
    json('plan', 'create', '배포 준비');
    const t = json('task', 'create', '체인지로그 작성', '--priority', 'high');
    expect(t.task).toMatchObject({ title: '체인지로그 작성', priority: 'high', flow_id: flow.flow.id });
    json('task', 'create', 'Tag the release', '--depends-on', t.task.id);
    const table = run('task', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^tasks:\n\s+ID\s+TITLE\s+STATUS\s+PRIORITY/m);
    expect(table.out).toContain('체인지로그 작성');
    const next = json('task', 'next');
    expect(next.task.id).toBe(t.task.id);
  });

  it('set_status with positional arguments, then the change shows in the log with the agent name', () => {
    const id = json('task', 'next').task.id;
    const r = run('task', 'set_status', id, 'done');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/status:\s+done/);
    const log = json('log', '--limit', '3');
    expect(log.events[0]).toMatchObject({ action: 'task.set_status', agent: 'cli-test', entity_id: id });
    expect(log.events[0].changes).toEqual({ status: ['todo', 'done'] });
  });

  it('a refused operation exits 1 with the message and hint on stderr and nothing on stdout', () => {
    const r = run('task', 'set_status', 't-nope', 'done');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: No task "t-nope"/);
    expect(r.err).toMatch(/^hint: /m);
  });

  it('a malformed command line exits 2 and says how to write it', () => {
    const r = run('task', 'get', 'a', 'b');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Too many arguments.*\n.*hint: It takes <id>/s);
    expect(run('frobnicate').code).toBe(2);
  });

  it('depend takes several ids as separate arguments', () => {
    const a = json('task', 'create', 'a').task.id;
    const b = json('task', 'create', 'b').task.id;
    const c = json('task', 'create', 'c').task.id;
    expect(json('task', 'depend', c, a, b).added).toEqual([a, b]);
  });

  it('help is generated from the tool definitions', () => {
    const r = spawnSync(process.execPath, [CLI, 'help', 'task'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/set_status <id> <status: [a-z_|]+> \[--expected-revision N\]/);
    expect(r.stdout).toMatch(/claim +<agent> \[<id>\] \[--lease-seconds N\]/);
  });

  it('--help lists every command and every serve flag (it is printed from the table that parses)', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const name of ['serve', 'flow', 'task', 'run', 'shell', 'log', 'import', 'export', 'recover', 'help']) expect(r.stdout).toMatch(new RegExp(`^  flowmcp ${name}\\b`, 'm'));
    for (const flag of ['--http', '--port', '--idle-seconds', '--drain-seconds', '--max-sessions', '--allowed-hosts', '--allowed-origins', '--out', '--force', '--dry-run']) expect(r.stdout).toContain(flag);
  });

  it('unknown flags are refused on every command, naming the closest one, and nothing runs', () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--prot', '8765'], /unknown flag --prot\. Did you mean --port\?/],
      [['export', '--ot', 'x.json'], /unknown flag --ot\. Did you mean --out\?/],
      [['log', '--limt', '3'], /unknown flag --limt\. Did you mean --limit\?/],
      [['recover', '--forse'], /unknown flag --forse\. Did you mean --force\?/],
      [['import', 'x.json', '--dryrun'], /unknown flag --dryrun\. Did you mean --dry-run\?/],
      [['task', 'list', '--stauts', 'todo'], /unknown flag --stauts\. Did you mean --status\?/],
      // Spelled as other tools spell it, where no edit distance reaches.
      [['search', 'retry', '--limit', '3'], /unknown flag --limit\. Did you mean --k\?/],
      [['task', 'list', '--top', '3'], /unknown flag --top\. Did you mean --limit\?/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [CLI, ...args, '--dir', project.dir()], { encoding: 'utf8', input: '' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(run('tsak', 'list').err).toMatch(/Did you mean task\?/);
  });

  it('serve --help shows the serve flags instead of starting a server', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8', input: '', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--drain-seconds\s+on SIGINT/);
  });

  it('--dry-run takes no value: the file after it is still the file to import', () => {
    const out = join(project.dir(), 'export.json');
    expect(run('export', '--out', out).code).toBe(0);
    const r = json('import', '--dry-run', out);
    expect(r.dry_run).toBe(true);
  });
});
