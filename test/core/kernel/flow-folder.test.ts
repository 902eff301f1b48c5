// A cloned repository can carry symlinks: `.flow -> elsewhere`, or `.flow/flow.db` / `.flow/documents`
// pointing outside the project. Every open (CLI, server, recover) refuses them and writes nothing there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../../helpers/server.js';
import { tempDir } from '../../helpers/workspace.js';

const dirs: string[] = [];
beforeAll(() => assertBuilt());
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', env: { ...process.env, FLOW_AGENT: 'cli-test' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function setup() {
  const project = tempDir();
  const elsewhere = tempDir();
  dirs.push(project, elsewhere);
  return { project, elsewhere };
}

describe('.flow/ made of symlinks', () => {
  it.each([
    ['.flow itself', (p: string, e: string) => symlinkSync(e, join(p, '.flow'))],
    ['.flow/flow.db', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(join(e, 'other.sqlite'), join(p, '.flow', 'flow.db')))],
    ['.flow/documents', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(e, join(p, '.flow', 'documents')))],
    ['.flow/snapshots', (p: string, e: string) => (mkdirSync(join(p, '.flow')), symlinkSync(e, join(p, '.flow', 'snapshots')))],
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
