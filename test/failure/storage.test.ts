// When the disk says no: a .flow/ the server may not write (run as an unprivileged user), and a disk
// that fills up (a small tmpfs). Writes get a clear error and change nothing, reads keep working, the
// database stays intact, and once space is back writing works again.
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const AS_NOBODY = fileURLToPath(new URL('../helpers/as-nobody.mjs', import.meta.url));
const isRoot = process.getuid?.() === 0;

function chmodTree(path: string, mode: (isDir: boolean) => number): void {
  const isDir = statSync(path).isDirectory();
  if (isDir) for (const e of readdirSync(path)) chmodTree(join(path, e), mode);
  chmodSync(path, mode(isDir));
}

function dbState(file: string): { integrity: string; rows: string } {
  const db = new Database(file, { readonly: true });
  const integrity = db.pragma('integrity_check', { simple: true }) as string;
  const rows = JSON.stringify([
    db.prepare('SELECT id, title, status, revision FROM tasks ORDER BY id').all(),
    db.prepare('SELECT path, sha256 FROM documents ORDER BY path').all(),
    db.prepare('SELECT id, text FROM context_entries ORDER BY id').all(),
    db.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(),
  ]);
  db.close();
  return { integrity, rows };
}

async function seed(s: Connected) {
  const flow = (await s.call('flow', { action: 'create', name: 'Disk' })).structuredContent.flow;
  const plan = (await s.call('plan', { action: 'create', title: 'Work' })).structuredContent.plan;
  const tasks = (await s.call('task', { action: 'create', tasks: [{ title: 'Write the parser' }, { title: 'Ship it' }] })).structuredContent.tasks;
  await s.call('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nThe parser reads tokens.\n' });
  await s.call('context', { action: 'save', summary: 'Parser half done' });
  return { flow, plan, tasks };
}

const WRITES = (taskId: string, big: string) =>
  [
    ['task', { action: 'create', tasks: Array.from({ length: 12 }, (_, i) => ({ title: `More work ${i}`, description: big.slice(0, 45_000) })) }],
    ['task', { action: 'set_status', id: taskId, status: 'done' }],
    ['document', { action: 'write', path: 'notes/design.md', content: `# Design v2\n\n${big}` }],
    ['document', { action: 'write', path: 'notes/new.md', content: `# New\n\n${big}` }],
    ['context', { action: 'save', summary: big.slice(0, 20_000), decision: { what: 'Use a Pratt parser', why: big.slice(0, 4_000) } }],
    ['snapshot', { action: 'create', label: 'before the disk filled' }],
  ] as const;

async function readsWork(s: Connected, taskId: string) {
  const got = await s.call('task', { action: 'get', id: taskId });
  expect(got.isError).toBeFalsy();
  expect(got.structuredContent.task.title).toBe('Write the parser');
  expect((await s.call('task', { action: 'list' })).isError).toBeFalsy();
  const doc = await s.call('document', { action: 'read', path: 'notes/design.md' });
  expect(doc.structuredContent.content).toContain('The parser reads tokens.');
  expect((await s.call('context', { action: 'resume' })).isError).toBeFalsy();
  expect((await s.call('search', { query: 'parser' })).isError).toBeFalsy();
}

describe('a read-only .flow/', () => {
  const dir = tempDir('flowmcp-readonly-');
  afterAll(() => {
    chmodTree(dir, (d) => (d ? 0o755 : 0o644));
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(isRoot)('refuses writes clearly, keeps answering reads, changes nothing', async () => {
    const s = await connect({ dir });
    const { tasks } = await seed(s);
    await s.close();
    const before = dbState(join(dir, '.flow', 'flow.db'));
    chmodSync(dir, 0o755);
    chmodTree(join(dir, '.flow'), (d) => (d ? 0o555 : 0o444));

    const ro = await connect({ dir, entry: AS_NOBODY });
    await readsWork(ro, tasks[0].id);
    for (const [tool, args] of WRITES(tasks[0].id, 'x'.repeat(1000))) {
      const r = await ro.call(tool, args);
      expect(r.isError, `${tool} ${args.action}`).toBe(true);
      expect(r.structuredContent.error.message).toMatch(/read-only|cannot be written/);
      expect(r.structuredContent.error.hint).toMatch(/writable/);
    }
    await readsWork(ro, tasks[0].id); // still answering after the refusals
    await ro.close();

    const after = dbState(join(dir, '.flow', 'flow.db'));
    expect(after.integrity).toBe('ok');
    expect(after.rows).toBe(before.rows);
  });
});

describe('a full disk', () => {
  const outer = tempDir('flowmcp-fulldisk-');
  const mnt = join(outer, 'mnt');
  mkdirSync(mnt);
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt], { stdio: 'ignore' });
    mounted = true;
  } catch {
    // Not allowed to mount here (not root, or no CAP_SYS_ADMIN): the test says so and does not run.
    console.warn('full-disk test skipped: cannot mount a small tmpfs on this machine');
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mnt]);
    rmSync(outer, { recursive: true, force: true });
  });

  it.runIf(mounted)('refuses writes clearly when the disk is full, keeps answering reads, recovers when space is back', async () => {
    const dir = join(mnt, 'project');
    mkdirSync(dir);
    const s = await connect({ dir });
    const { tasks } = await seed(s);

    // Fill the disk to the last byte.
    const filler = join(mnt, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      try {
        for (;;) writeSync(fd, block, 0, 512);
      } catch {
        /* full */
      }
    }
    closeSync(fd);

    const big = 'All work and no play. '.repeat(20_000); // ~440 KB
    const refused: string[] = [];
    for (const [tool, args] of WRITES(tasks[0].id, big)) {
      const name = `${tool} ${args.action}${'path' in args ? ` ${args.path}` : ''}`;
      const was = dbState(join(dir, '.flow', 'flow.db')).rows;
      const r = await s.call(tool, args);
      if (!r.isError) continue; // a small change can still fit in free pages of the database or its log
      refused.push(name);
      expect(r.structuredContent.error.message, name).toMatch(/disk holding \.flow\/ is full/);
      expect(r.structuredContent.error.hint).toMatch(/Free some space/);
      expect(dbState(join(dir, '.flow', 'flow.db')).rows, `${name} was refused but changed the database`).toBe(was);
    }
    // The big ones cannot fit anywhere.
    expect(refused).toEqual(expect.arrayContaining(['task create', 'document write notes/new.md', 'snapshot create']));
    await readsWork(s, tasks[0].id);
    const design = await s.call('document', { action: 'read', path: 'notes/design.md' });
    expect(design.structuredContent.content).toBe('# Design\n\nThe parser reads tokens.\n'); // not half-replaced

    // Space again: the same server writes again, and nothing is damaged.
    rmSync(filler);
    const ok = await s.call('task', { action: 'create', title: 'After the disk was freed', description: big.slice(0, 45_000) });
    expect(ok.isError).toBeFalsy();
    const doc = await s.call('document', { action: 'write', path: 'notes/new.md', content: `# New\n\n${big}` });
    expect(doc.isError).toBeFalsy();
    await s.close();
    const after = dbState(join(dir, '.flow', 'flow.db'));
    expect(after.integrity).toBe('ok');
    expect(after.rows).toContain('After the disk was freed');
  });
});

describe('a project folder this user cannot read', () => {
  it.runIf(isRoot)('is said plainly, with what to do, never as a bug', () => {
    const dir = tempDir('flowmcp-noaccess-');
    try {
      mkdirSync(join(dir, '.flow'));
      chmodSync(dir, 0o700); // root's; the command runs as nobody
      const r = spawnSync(process.execPath, [AS_NOBODY, 'flow', 'list', '--dir', dir], { encoding: 'utf8', input: '' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/cannot be read by this user \(permission denied\)/);
      expect(r.stderr).not.toMatch(/bug|at lstatSync/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
