// `flowmcp recover` and running processes, for real: recover --force beside a live server refuses
// (so the server can never go on acknowledging writes into a database recover set aside); nothing
// opens the project while recover rebuilds it; a recover killed with kill -9 part-way is reported by
// the next start, with what to do, and the next recover finishes the job.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { CLI, connect } from '../helpers/server.js';
import { letGo, pauseEnv, reached } from '../helpers/pause.js';
import { tempDir } from '../helpers/workspace.js';
import { putAwayAfterEach } from '../helpers/after-each.js';

const { dirs, children, servers } = putAwayAfterEach();

function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--dir', dir, '--json'], { encoding: 'utf8' });
}

/** Every task in the database a new process opens (opened the ordinary way, so it must be openable). */
function taskTitles(dir: string): string[] {
  const ws = Workspace.open(dir);
  try {
    return (ws.db.prepare('SELECT title FROM tasks ORDER BY title').pluck().all() as string[]);
  } finally {
    ws.close();
  }
}

describe('recover beside running processes', () => {
  it('recover --force refuses while a server has the project open; every acknowledged write stays', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const s = await connect({ dir });
    servers.push(s);
    await s.call('flow', { action: 'create', name: 'Live' });
    await s.call('plan', { action: 'create', title: 'P' });
    await s.call('task', { action: 'create', title: 'before the snapshot' });
    await s.call('snapshot', { action: 'create' });
    await s.call('task', { action: 'create', title: 'after the snapshot' });

    const r = cli(dir, 'recover', '--force');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Another flowmcp process .* has this project open/);
    expect(r.stderr).toMatch(/Nothing was changed/);
    expect(readdirSync(join(dir, '.flow')).filter((f) => f.includes('damaged'))).toEqual([]);

    // The server goes on; what it acknowledges is in the database every later process opens.
    const late = await s.call('task', { action: 'create', title: 'after the refused recover' });
    expect(late.isError).toBeFalsy();
    await s.close();
    servers.length = 0;
    expect(taskTitles(dir)).toEqual(['after the refused recover', 'after the snapshot', 'before the snapshot']);

    // With the server gone, recover runs.
    const ok = cli(dir, 'recover', '--force');
    expect(ok.status, ok.stderr).toBe(0);
  }, 60_000);

  it('nothing opens the project while recover rebuilds; a recover killed part-way is reported, and recover again finishes it', async () => {
    const dir = tempDir();
    const sync = tempDir('flowmcp-sync-');
    dirs.push(dir, sync);
    expect(cli(dir, 'flow', 'create', 'Kept').status).toBe(0);
    expect(cli(dir, 'plan', 'create', 'P').status).toBe(0);
    expect(cli(dir, 'task', 'create', 'in the snapshot').status).toBe(0);
    expect(cli(dir, 'snapshot', 'create').status).toBe(0);

    const child = spawn(process.execPath, [CLI, 'recover', '--force', '--dir', dir, '--json'], {
      env: { ...process.env, ...pauseEnv(sync, 'recover.rebuilding') },
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise((r) => child.on('exit', r));
    await reached(sync, 'recover.rebuilding'); // the old database is set aside; the new one not built yet

    const meanwhile = cli(dir, 'flow', 'list');
    expect(meanwhile.status).toBe(1);
    expect(meanwhile.stderr).toMatch(/recover is rebuilding this project's database/);

    child.kill('SIGKILL');
    await exited;

    const next = cli(dir, 'flow', 'list');
    expect(next.status).toBe(1);
    expect(next.stderr).toMatch(/A recover was interrupted/);
    expect(next.stderr).toMatch(/flow\.db\.damaged-/);
    expect(next.stderr).toMatch(/Run flowmcp recover again/);
    // A server starting now says the same on its first call, and writes nothing.
    const s = await connect({ dir });
    servers.push(s);
    const refused = await s.call('flow', { action: 'list' });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.structuredContent)).toMatch(/A recover was interrupted/);
    await s.close();
    servers.length = 0;

    const again = cli(dir, 'recover'); // no --force needed: the mark says the rebuild is unfinished
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(dir, '.flow', 'recover-in-progress.json'))).toBe(false);
    expect(taskTitles(dir)).toEqual(['in the snapshot']);
    // The database the killed recover set aside is still there (killed before it built a new one, so
    // the second recover had nothing to set aside).
    expect(readdirSync(join(dir, '.flow')).filter((f) => /^flow\.db\.damaged-[^-]+-[^.]*Z$/.test(f)).length).toBe(1);
    letGo(sync, 'recover.rebuilding');
  }, 60_000);
});
