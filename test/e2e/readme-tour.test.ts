// Runs the README's shell tour ("A one-minute tour", then the example in "Documents and search")
// command by command, in order, on a fresh project, with the commands taken from the README itself so
// the two cannot drift apart (test/helpers/readme.ts reads them; readme-commands.test.ts runs the
// README's other examples). Every command must exit 0, and the search must find the note it is meant
// to find. An id the README can only show by example ("prints the task, id first, e.g. t-4kx9") is replaced, in
// later commands, by the id that command really printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flowmcpOnPath, tourCommands } from '../helpers/readme.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmcp-readme-tour-'));
  // A project with the files the tour's `doc index` names.
  const project = join(dir, 'project');
  mkdirSync(join(project, 'docs'), { recursive: true });
  writeFileSync(join(project, 'README.md'), '# Shop\n\nThe web shop: catalogue, cart and checkout.\n');
  writeFileSync(join(project, 'docs', 'deploy.md'), '# Deploying\n\nBuild the image, push it, and roll it out one region at a time.\n');
  env = flowmcpOnPath(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('every command of the README tour exits 0, in order, and the search finds the note', () => {
  const commands = tourCommands();
  expect(commands.length).toBeGreaterThanOrEqual(10);
  expect(commands.some((c) => c.startsWith('flowmcp search '))).toBe(true);
  const cwd = join(dir, 'project');
  const ids = new Map<string, string>();
  let searchOutput = '';
  for (const line of commands) {
    let command = line;
    for (const [example, real] of ids) command = command.replaceAll(example, real);
    const r = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
    const example = /# prints the task \(its id, e\.g\. ([a-z]-[a-z0-9]+)/.exec(line)?.[1];
    if (example) {
      const real = /^\s*id:\s+(\S+)/m.exec(r.stdout)?.[1];
      expect(real, `${command}\n${r.stdout}`).toBeDefined();
      ids.set(example, real!);
    }
    if (line.startsWith('flowmcp search ')) searchOutput = r.stdout;
  }
  expect(ids.size).toBeGreaterThan(0);
  expect(searchOutput).toContain('notes/retry.md');

  // The note is the first answer, not merely one of them.
  const search = commands.find((c) => c.startsWith('flowmcp search '))!.replace(/\s+#.*$/, '');
  const json = execFileSync('bash', ['-c', `${search} --json`], { cwd, env, encoding: 'utf8' });
  const results = (JSON.parse(json) as { results: { path?: string }[] }).results;
  expect(results[0]?.path, json).toBe('notes/retry.md');
});
