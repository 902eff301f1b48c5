// `flowmcp recover` beside other processes, with recover itself in this process (stopped at its pause
// points while another process acts): what another process is told while recover rebuilds, and what
// the mark it leaves says; and two recovers started together on a damaged project, where the one that
// gets the project second looks at the database again once it holds it, finds it rebuilt by the first,
// and changes nothing (it does not set the fresh database aside and rebuild it a second time).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { caller } from '../../helpers/call.js';
import { pauseEnv } from '../../helpers/pause.js';
import { CLI, assertBuilt } from '../../helpers/server.js';
import { putAwayAfterEach } from '../../helpers/after-each.js';
import { tempDir } from '../../helpers/workspace.js';

const { dirs, children } = putAwayAfterEach();

// Another process opening the project while recover is stopped at 'recover.rebuilding': it notes what
// it was told and the mark recover left, then lets recover go on.
const OPENER = `
const { spawnSync } = require('node:child_process');
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const [cli, dir, sync] = process.argv.slice(1);
const nap = new Int32Array(new SharedArrayBuffer(4));
try {
  while (!readdirSync(sync).some((f) => f.startsWith('recover.rebuilding.') && f.endsWith('.reached'))) Atomics.wait(nap, 0, 0, 5);
  const mark = readFileSync(dir + '/.flow/recover-in-progress.json', 'utf8');
  const r = spawnSync(process.execPath, [cli, 'flow', 'list', '--dir', dir, '--json'], { encoding: 'utf8' });
  writeFileSync(sync + '/other.json', JSON.stringify({ status: r.status, stderr: r.stderr, mark }));
} finally {
  writeFileSync(sync + '/recover.rebuilding.go', '');
}
`;

// The other recover, in a process of its own: once this process's recover has checked the database and
// stopped at the pause point, it runs recover to the end, notes its answer, then lets this one go on.
const OTHER = `
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, writeFileSync } = require('node:fs');
const [cli, dir, sync] = process.argv.slice(1);
const nap = new Int32Array(new SharedArrayBuffer(4));
try {
  while (!readdirSync(sync).some((f) => f.startsWith('recover.checked.') && f.endsWith('.reached'))) Atomics.wait(nap, 0, 0, 5);
  const r = spawnSync(process.execPath, [cli, 'recover', '--dir', dir, '--json'], { encoding: 'utf8' });
  writeFileSync(sync + '/other.json', JSON.stringify({ status: r.status, stdout: r.stdout, stderr: r.stderr }));
} finally {
  writeFileSync(sync + '/recover.checked.go', '');
}
`;

/** Runs recover here, stopped at `point` until the helper script `script` (started now) lets it go. */
function recoverBeside(script: string, point: string, dir: string, sync: string, opts: { force?: boolean } = {}) {
  const env = { ...process.env };
  delete env.FLOWMCP_TEST_PAUSE;
  children.push(spawn(process.execPath, ['-e', script, CLI, dir, sync], { env, stdio: 'ignore' }));
  process.env.FLOWMCP_TEST_PAUSE = pauseEnv(sync, point).FLOWMCP_TEST_PAUSE;
  try {
    return recover(dir, opts);
  } finally {
    delete process.env.FLOWMCP_TEST_PAUSE;
  }
}

function project(): { dir: string; sync: string } {
  assertBuilt();
  const dir = tempDir();
  const sync = tempDir('flowmcp-sync-');
  dirs.push(dir, sync);
  const ws = Workspace.open(dir);
  const c = caller({ ws, session: ws.session('a') });
  c.ok('flow', { action: 'create', name: 'Shop' });
  c.ok('plan', { action: 'create', title: 'Build' });
  c.ok('task', { action: 'create', title: 'Cart' });
  c.ok('snapshot', { action: 'create' });
  ws.close();
  return { dir, sync };
}

describe('while recover rebuilds', () => {
  it('another process is told to wait, and the mark names the process and where the old database went', () => {
    const { dir, sync } = project();
    const report = recoverBeside(OPENER, 'recover.rebuilding', dir, sync, { force: true });
    const other = JSON.parse(readFileSync(join(sync, 'other.json'), 'utf8'));
    const mark = JSON.parse(other.mark);
    expect(mark).toMatchObject({ pid: process.pid, kept_aside: report.kept_aside[0] });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain(`flowmcp recover is rebuilding this project's database (process ${process.pid}, started ${mark.started_at}), so it cannot be opened now. Nothing was changed.`);
  }, 60_000);
});

describe('two recovers at once', () => {
  it('the second, finding the database rebuilt once it holds the project, changes nothing', () => {
    const { dir, sync } = project();
    writeFileSync(join(dir, '.flow', 'flow.db'), 'this is not a database'.repeat(100));
    const report = recoverBeside(OTHER, 'recover.checked', dir, sync); // the other runs between its first look and taking the project

    const other = JSON.parse(readFileSync(join(sync, 'other.json'), 'utf8'));
    expect(other.status, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout).kept_aside).toHaveLength(1);
    expect(report).toMatchObject({ kept_aside: [], note: 'flow.db opens and passes its integrity check: nothing was changed (use --force to rebuild anyway).' });
    expect(readdirSync(join(dir, '.flow')).filter((f) => f.includes('damaged'))).toHaveLength(1);
    const after = Workspace.open(dir);
    try {
      expect(after.db.prepare('SELECT title FROM tasks').pluck().all()).toEqual(['Cart']);
    } finally {
      after.close();
    }
  }, 60_000);
});
