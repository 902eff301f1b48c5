// Issue #16: CLI arguments and wording, driving the real binary.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/server.js';
import { cliProject } from '../helpers/cli.js';
import { tempDir } from '../helpers/workspace.js';


const project = cliProject('cli-test');
const run = project.run;

describe('tools with one job take their text directly', () => {
  it('search and command take one quoted argument, with or without the action name the help used to show', () => {
    expect(run('flow', 'create', 'Args').code).toBe(0);
    expect(run('plan', 'create', 'Build').code).toBe(0);
    for (const args of [['command', 'add task "Deploy the thing"'], ['command', 'run', 'add task "Write the docs"']]) {
      const r = run(...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    for (const args of [['search', 'how do we deploy'], ['search', 'query', 'how do we deploy']]) {
      const r = run(...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    const list = run('task', 'list');
    expect(list.out).toContain('Deploy the thing');
    expect(list.out).toContain('Write the docs');
  });

  it('help shows the form that works', () => {
    const search = spawnSync(process.execPath, [CLI, 'help', 'search'], { encoding: 'utf8' }).stdout;
    expect(search).toContain('flowmcp search <query>');
    expect(search).not.toMatch(/^\s+query <query>/m);
    const command = spawnSync(process.execPath, [CLI, 'help', 'command'], { encoding: 'utf8' }).stdout;
    expect(command).toContain('flowmcp command <text>');
    expect(command).not.toMatch(/^\s+run <text>/m);
  });
});

describe('refusals on the command line speak of flags, not MCP arguments', () => {
  it('confirm: true, undo and snake_case arguments become --flags', () => {
    const d = tempDir();
    try {
      const at = (...args: string[]) => {
        const r = spawnSync(process.execPath, [CLI, ...args, '--dir', d], { encoding: 'utf8', input: '' });
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      const { flow } = JSON.parse(at('flow', 'create', 'Wording', '--json').out) as { flow: { id: string } };
      const del = at('flow', 'delete', flow.id);
      expect(del.code).toBe(1);
      expect(del.err).toContain('hint: Call again with --confirm');
      expect(del.err).not.toContain('confirm: true');
      const { snapshot: snap } = JSON.parse(at('snapshot', 'create', '--json').out) as { snapshot: { id: string } };
      const restore = at('snapshot', 'restore', snap.id, '--confirm');
      expect(restore.code, restore.err).toBe(0);
      expect(restore.out).toMatch(/undo:\s+flowmcp snapshot restore s-\S+ --confirm/);
      const save = at('context', 'save');
      expect(save.err).toContain('--next-step');
      expect(save.err).not.toContain('next_step');
      // --json: the same words in the error, the code unchanged
      const json = JSON.parse(at('flow', 'delete', flow.id, '--json').err) as { error: { code: string; hint: string } };
      expect(json.error.hint).toContain('--confirm');
      expect(json.error.code).toBe('confirm_required');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a missing argument is said one way, naming the command to write; flag values are named by the flag', () => {
    const setStatus = run('task', 'set_status', 't-zzzz');
    expect(setStatus.code).toBe(2);
    expect(setStatus.err).toContain('status is required: flowmcp task set_status <id> <status>');
    expect(setStatus.err).not.toContain('Invalid option');
    const get = run('task', 'get');
    expect(get.err).toContain('id is required: flowmcp task get <id>');
    // A command with one job said alone is told what it needs too, not shown its help page.
    const search = run('search');
    expect(search.code).toBe(2);
    expect(search.err).toContain('query is required: flowmcp search <query>');
    // A flag context save takes beside its schema's (--why, for a --decision) is among those named.
    expect(run('context', 'save', '--decison', 'x').err).toContain('--decision, --why, --question');
    const list = run('task', 'list', '--status=tod');
    expect(list.code).toBe(2);
    expect(list.err).toContain('--status: "tod" is not one of');
    expect(list.err).not.toContain('status.0');
  });
});

describe('recover keeps the current flow', () => {
  it('after recover the next command still has the flow and plan it had, without flow switch', () => {
    const d = tempDir();
    try {
      const at = (...args: string[]) => {
        const r = spawnSync(process.execPath, [CLI, ...args, '--dir', d], { encoding: 'utf8', input: '' });
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      expect(at('flow', 'create', 'Other').code).toBe(0);
      expect(at('flow', 'create', 'Kept').code).toBe(0);
      expect(at('plan', 'create', 'Build').code).toBe(0);
      expect(at('task', 'create', 'Before recover').code).toBe(0);
      expect(at('snapshot', 'create').code).toBe(0);
      const rec = at('recover', '--force');
      expect(rec.code, rec.err).toBe(0);
      const list = at('task', 'list');
      expect(list.err).not.toContain('No current flow');
      expect(list.code, list.err).toBe(0);
      expect(list.out).toContain('Before recover');
      // the current plan too: a task lands in it without --plan-id
      const add = at('task', 'create', 'After recover');
      expect(add.code, add.err).toBe(0);
      expect(at('flow', 'get').out).toContain('Kept');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a database past reading, rebuilt with one flow: that flow is current', () => {
    const d = tempDir();
    try {
      const at = (...args: string[]) => {
        const r = spawnSync(process.execPath, [CLI, ...args, '--dir', d], { encoding: 'utf8', input: '' });
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      expect(at('flow', 'create', 'Only').code).toBe(0);
      expect(at('plan', 'create', 'Build').code).toBe(0);
      expect(at('task', 'create', 'Survives').code).toBe(0);
      expect(at('snapshot', 'create').code).toBe(0);
      for (const suffix of ['-wal', '-shm']) rmSync(join(d, '.flow', `flow.db${suffix}`), { force: true });
      writeFileSync(join(d, '.flow', 'flow.db'), 'not a database');
      expect(at('recover').code).toBe(0);
      const list = at('task', 'list');
      expect(list.code, list.err).toBe(0);
      expect(list.out).toContain('Survives');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('issue 16: what a newcomer sees when a flag value or argument is wrong', () => {
  it('a flag whose value must be JSON or a number says so in CLI words, for every such flag', () => {
    const tasks = run('task', 'create', '--tasks', 'notjson');
    expect(tasks.code).toBe(2);
    expect(tasks.out + tasks.err).toContain('--tasks must be a JSON list of tasks (it is not valid JSON)');
    expect(tasks.out + tasks.err).not.toMatch(/expected object|received string/);
    const broken = run('task', 'create', '--tasks', '[{"title":');
    expect(broken.out + broken.err).toContain('--tasks must be a JSON list of tasks (it is not valid JSON)');
    const limit = run('task', 'list', '--limit', 'abc');
    expect(limit.code).toBe(2);
    expect(limit.out + limit.err).toContain('--limit must be a number, got "abc"');
    expect(limit.out + limit.err).not.toMatch(/expected number/);
    // The same words for other numbers, and for a number typed in an argument's place.
    expect(run('task', 'update', 't-zz99', '--expected-revision', 'ten').err).toContain('--expected-revision must be a number, got "ten"');
    expect(run('task', 'move', 't-zz99', 'p-zz99', 'first').err).toContain('<position> must be a number, got "first"');
  });

  it('task create with neither a title nor --tasks asks for one of them, with a usage that agrees', () => {
    const r = run('task', 'create');
    expect(r.code).toBe(2);
    expect(r.err).toContain('give a title or --tasks: flowmcp task create <title> | --tasks JSON');
    expect(r.err).not.toMatch(/\[<title>\]/);
    expect(r.err).not.toMatch(/title is required/);
  });

  it('-v prints the version like --version; progress columns show a percent', () => {
    const v = run('-v');
    expect(v.code).toBe(0);
    expect(v.out).toBe(run('--version').out);
    expect(v.out).toMatch(/^\d+\.\d+\.\d+/);
    expect(run('flow', 'create', 'Percent').code).toBe(0);
    expect(run('plan', 'create', 'Half').code).toBe(0);
    expect(run('task', 'create', 'One').code).toBe(0);
    const two = JSON.parse(run('task', 'create', 'Two', '--json').out).task.id as string;
    expect(run('task', 'set_status', two, 'done').code).toBe(0);
    expect(run('plan', 'list').out).toMatch(/^ +1 +p-\S+ +Half +active +2 +50%$/m);
    expect(run('flow', 'list').out).toMatch(/^ +f-\S+ +Percent +active +50% /m);
  });

  it('/flow help keeps every summary in one column, a long usage putting its summary on the next line', () => {
    const r = run('run', '/flow help');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter((l) => l.trim());
    const body = lines.slice(0, lines.findIndex((l) => l.startsWith('Verb and noun')));
    const columns = new Set<number>();
    for (const [i, line] of body.entries()) {
      if (line.startsWith('/flow ')) {
        const m = /^(\/flow .*?\S) {2,}(\S.*)$/.exec(line);
        if (m) columns.add(line.length - m[2]!.length);
        else expect(body[i + 1], line).toMatch(/^ {20,}\S/); // its summary on the next line
      } else {
        columns.add(line.length - line.trimStart().length);
      }
    }
    expect([...columns]).toHaveLength(1);
    expect(r.out).toMatch(/^\/flow add task <title> .*\n +add a task to the current plan$/m);
    expect(r.out).toMatch(/^\/flow edit task <task> .*\n +change a task/m);
  });

  it('a status or priority in another spelling says what it was read as; an unknown word lists the words and says others exist', () => {
    expect(run('flow', 'create', 'Aliases').code).toBe(0);
    expect(run('plan', 'create', 'Words').code).toBe(0);
    const id = JSON.parse(run('task', 'create', 'Spelled', '--json').out).task.id as string;
    const finished = run('task', 'set_status', id, 'finished');
    expect(finished.code, finished.err).toBe(0);
    expect(finished.out).toMatch(/^ +status: +done$/m);
    expect(finished.out).toMatch(/^note: status: read "finished" as done$/m);
    // The canonical word says nothing more; --json stays what an MCP client gets.
    expect(run('task', 'set_status', id, 'todo').out).not.toMatch(/^note:/m);
    expect(run('task', 'set_status', id, 'finished', '--json').out).not.toContain('read "finished"');
    expect(run('task', 'update', id, '--priority', 'normal').out).toMatch(/^note: --priority: read "normal" as medium$/m);
    const bogus = run('task', 'set_status', id, 'bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.err).toContain('"bogus" is not one of todo, in_progress, blocked, review, done, cancelled');
    expect(bogus.err).toMatch(/other words are read as these too: .*finished.* = done/);
  });
});
