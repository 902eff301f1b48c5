// A cloned repository can carry symlinks: `.flow -> elsewhere`, or `.flow/flow.db` / `.flow/documents`
// pointing outside the project. Every open (CLI, server, recover) refuses them and writes nothing there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../../helpers/server.js';
import { tempDirPerTest } from '../../helpers/workspace.js';
import { checkFlowFolder } from '../../../src/core/kernel/flow-folder.js';

const scratch = tempDirPerTest();
beforeAll(() => assertBuilt());

function cli(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', env: { ...process.env, FLOW_AGENT: 'cli-test' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function setup() {
  const project = scratch();
  const elsewhere = scratch();
  return { project, elsewhere };
}

describe('.flow/ made of symlinks', () => {
  it.each([
    ['.flow itself', (p: string, e: string) => symlinkSync(e, join(p, '.flow'))],
    ['.flow/flow.db', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(join(e, 'other.sqlite'), join(p, '.flow', 'flow.db')))],
    ['.flow/documents', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(e, join(p, '.flow', 'documents')))],
    ['.flow/snapshots', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(e, join(p, '.flow', 'snapshots')))],
    ['.flow/snapshots/blobs', (p: string, e: string) => (mkdirSync(join(p, '.flow', 'snapshots'), { recursive: true }), symlinkSync(e, join(p, '.flow', 'snapshots', 'blobs')))],
    ['.flow/shell_history', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(join(e, 'bashrc'), join(p, '.flow', 'shell_history')))],
    ['.flow/cache', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(e, join(p, '.flow', 'cache')))],
    ['.flow/open.lock', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(join(e, 'other.sqlite'), join(p, '.flow', 'open.lock')))],
    ['.flow/open.lock-journal', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(join(e, 'journal'), join(p, '.flow', 'open.lock-journal')))],
  ])('%s pointing outside the project is refused, and nothing is written there', (_name, plant) => {
    const { project, elsewhere } = setup();
    plant(project, elsewhere);
    for (const args of [['flow', 'create', 'Hijack'], ['document', 'write', 'notes/a.md', '--content', '# a'], ['recover', '--force']]) {
      const r = cli(project, ...args);
      expect(r.code, r.out).not.toBe(0);
      expect(r.err).toMatch(/symbolic link/);
    }
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

// A FIFO (or a folder, or a device) where flowmcp reads one of its own files would hang the first read
// forever: in team mode that stalls every session of the one HTTP server. Every open refuses it instead.
describe('.flow/ files that are not regular files', () => {
  it.each(['config.json', 'restore-journal.json', 'shell_history', 'flow.db-wal'])('a FIFO as .flow/%s is refused at once, naming it', (name) => {
    const { project } = setup();
    mkdirSync(join(project, '.flow'));
    const made = spawnSync('mkfifo', [join(project, '.flow', name)]);
    expect(made.status).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'context', 'get', '--dir', project], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, FLOW_AGENT: 'cli-test' } });
    expect(r.signal, 'the CLI hung on the FIFO').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${name.replace('.', '\\.')} is not a regular file`));
  });

  it('a folder named like a file flowmcp writes is refused too', () => {
    const { project } = setup();
    mkdirSync(join(project, '.flow', 'config.json'), { recursive: true });
    expect(cli(project, 'flow', 'list').err).toMatch(/config\.json is not a regular file/);
    writeFileSync(join(project, '.flow', 'config.json.txt'), ''); // unrelated names stay allowed
  });
});

// In process, name by name: every file and folder flowmcp writes under .flow/ is checked, as the kind
// flowmcp makes it. (The CLI tests above show the refusal reaches the user; these pin the list.)
describe('checkFlowFolder, every name it owns', () => {
  const OWN: [string, 'file' | 'folder'][] = [
    ['flow.db', 'file'], ['flow.db-wal', 'file'], ['flow.db-shm', 'file'], ['flow.db-journal', 'file'],
    ['context', 'folder'], ['documents', 'folder'], ['snapshots', 'folder'], ['snapshots/blobs', 'folder'],
    ['config.json', 'file'], ['restore-journal.json', 'file'], ['recover-in-progress.json', 'file'],
    ['shell_history', 'file'], ['cache', 'folder'], ['open.lock', 'file'], ['open.lock-journal', 'file'],
  ];
  const fresh = () => {
    const { project, elsewhere } = setup();
    mkdirSync(join(project, '.flow'));
    return { project, elsewhere, flow: join(project, '.flow') };
  };

  it('accepts a missing .flow/, and one made of real files and folders of the right kind', () => {
    const { project } = setup();
    expect(() => checkFlowFolder(project)).not.toThrow();
    const { project: p2, flow } = fresh();
    for (const [rel, kind] of OWN) kind === 'folder' ? mkdirSync(join(flow, rel), { recursive: true }) : writeFileSync(join(flow, rel), '');
    writeFileSync(join(flow, 'someone-elses.txt'), '');
    expect(() => checkFlowFolder(p2)).not.toThrow();
  });

  it.each(OWN)('%s as a symbolic link is refused, and as the wrong kind too', (rel, kind) => {
    const fresh2 = () => {
      const f = fresh();
      if (rel.includes('/')) mkdirSync(join(f.flow, rel, '..'), { recursive: true });
      return f;
    };
    const a = fresh2();
    symlinkSync(kind === 'folder' ? a.elsewhere : join(a.elsewhere, 'x'), join(a.flow, rel));
    expect(() => checkFlowFolder(a.project)).toThrow(`${join(a.flow, rel)} is a symbolic link; flowmcp keeps its data only in real files and folders inside the project, so it did not open it.`);
    const b = fresh2();
    if (kind === 'folder') writeFileSync(join(b.flow, rel), '');
    else mkdirSync(join(b.flow, rel));
    expect(() => checkFlowFolder(b.project)).toThrow(`${join(b.flow, rel)} is not a regular ${kind} (flowmcp writes one there), so it did not open the project.`);
  });

  it('.flow itself must be a real folder', () => {
    const { project, elsewhere } = setup();
    writeFileSync(join(project, '.flow'), '');
    expect(() => checkFlowFolder(project)).toThrow(/is not a regular folder/);
    rmSync(join(project, '.flow'));
    symlinkSync(elsewhere, join(project, '.flow'));
    expect(() => checkFlowFolder(project)).toThrow(expect.objectContaining({ code: 'invalid_input', hint: expect.stringMatching(/^A cloned repository may have put it there/) }));
  });
});

