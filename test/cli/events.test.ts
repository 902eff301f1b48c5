// `flowmcp events`: the log oldest first after a seq, as lines or NDJSON, filters, and --follow seeing
// changes made by another process, ending cleanly on SIGTERM. Real processes on a real project folder.
import { describe, expect, it } from 'vitest';
import { runTracked, spawnTracked } from '../helpers/children.js';
import { cliProject } from '../helpers/cli.js';
import { CLI } from '../helpers/server.js';

const project = cliProject('events-test');
const run = project.run;

function ok(...args: string[]): string {
  const r = run(...args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}
const ndjson = (out: string) => out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

describe('flowmcp events', () => {
  it('prints the events after --since N, one line each, or one JSON object a line with the documented payload', () => {
    ok('flow', 'create', 'Events');
    ok('plan', 'create', 'P');
    const task = JSON.parse(ok('task', 'create', 'Write the stream', '--json')).task;
    ok('task', 'set-status', task.id, 'done');

    const all = ndjson(ok('events', '--json'));
    expect(all.map((e) => e.action)).toEqual(['flow.create', 'plan.create', 'task.create', 'task.set_status']);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const last = all[3]!;
    expect(Object.keys(last).sort()).toEqual(['action', 'agent', 'at', 'changes', 'entity', 'entity_id', 'flow_id', 'seq', 'session_id', 'summary']);
    expect(last).toMatchObject({ entity: 'task', entity_id: task.id, flow_id: task.flow_id, agent: 'events-test', changes: { status: ['todo', 'done'] } });
    expect(all[0]!.changes).toBeNull();

    expect(ndjson(ok('events', '--json', '--since', '2')).map((e) => e.seq)).toEqual([3, 4]);
    expect(ok('events', '--json', '--since', '4')).toBe('');
    expect(ndjson(ok('events', '--json', '--entity', 'task')).map((e) => e.seq)).toEqual([3, 4]);
    expect(ndjson(ok('events', '--json', '--flow', task.flow_id)).length).toBe(4);
    expect(ndjson(ok('events', '--json', '--flow', 'Events')).length).toBe(4); // by exact name, as everywhere
    const miss = run('events', '--json', '--flow', 'f-none');
    expect(miss.code).toBe(1);
    expect(miss.err).toMatch(/f-none/);

    const lines = ok('events', '--since', '2').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^4  \\S+Z  events-test  task\\.set_status  ${task.id}  .*done`));

    const bad = run('events', '--since', '-1');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since/);
    expect(run('events', '--entity', 'planet').code).toBe(2);
  });

  /**
   * Starts `flowmcp events --follow --json ...extra`, then has separate CLI processes create tasks until
   * the follower has printed one (it may start watching after the first lands). Returns what it printed
   * and said, and a way to stop it with SIGTERM that resolves to its exit code.
   */
  async function followUntilATaskShows(extra: string[]): Promise<{ out: string; err: () => string; stop: () => Promise<number | null> }> {
    const follower = spawnTracked(process.execPath, [CLI, 'events', '--follow', '--json', ...extra, '--dir', project.dir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    follower.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    follower.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    let made = 0;
    while (!ndjson(out).some((e) => e.action === 'task.create')) {
      // Run without blocking this process, so the follower's output is read meanwhile.
      const r = await runTracked(process.execPath, [CLI, 'task', 'create', `followed ${made++}`, '--dir', project.dir()]);
      expect(r.code, r.stderr).toBe(0);
      if (made > 50) throw new Error(`the follower printed nothing: ${err}`);
    }
    return {
      out,
      err: () => err,
      stop: () => {
        follower.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('--follow prints what another process changes, as it is committed, and ends cleanly on SIGTERM', async () => {
    const before = ndjson(ok('events', '--json')).at(-1)!.seq as number;
    const f = await followUntilATaskShows([]);
    const seen = ndjson(f.out);
    expect(seen.every((e) => e.seq > before)).toBe(true);
    // In order, without gaps from where it started.
    const seqs = seen.map((e) => e.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(await f.stop()).toBe(0);
    expect(f.err()).toBe('');
  });

  it('--follow from a seq past the end of the log says so and follows from the end (it never waits for a seq that may not come)', async () => {
    const f = await followUntilATaskShows(['--since', '999999']);
    expect(f.err()).toMatch(/before --since 999999.*Following from seq \d+/);
    expect(await f.stop()).toBe(0);
  });
});
