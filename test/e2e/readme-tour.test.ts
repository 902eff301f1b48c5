// Runs the README's shell tour ("A one-minute tour", then the example in "Documents and search")
// command by command, in order, on a fresh project, with the commands taken from the README itself so
// the two cannot drift apart. Every command must exit 0, and the search must find the note it is meant
// to find. An id the README can only show by example ("prints its id, e.g. t-4kx9") is replaced, in
// later commands, by the id that command really printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');

/** The ```sh blocks of a README section made of flowmcp commands only (not `serve`: it would not return). */
function tourCommands(readme: string, section: string): string[] {
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README has no section "## ${section}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end);
  const out: string[] = [];
  for (const m of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = m[1]!.split('\n').filter((l) => l.trim() !== '');
    if (lines.every((l) => l.startsWith('flowmcp ') && !l.startsWith('flowmcp serve'))) out.push(...lines);
  }
  return out;
}

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmcp-readme-tour-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'flowmcp'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'flowmcp'), 0o755);
  // A project with the files the tour's `doc index` names.
  const project = join(dir, 'project');
  mkdirSync(join(project, 'docs'), { recursive: true });
  writeFileSync(join(project, 'README.md'), '# Shop\n\nThe web shop: catalogue, cart and checkout.\n');
  writeFileSync(join(project, 'docs', 'deploy.md'), '# Deploying\n\nBuild the image, push it, and roll it out one region at a time.\n');
  env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  delete env.FLOW_DIR; // the tour runs in the project folder, as a user would
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('every command of the README tour exits 0, in order, and the search finds the note', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = [...tourCommands(readme, 'A one-minute tour'), ...tourCommands(readme, 'Documents and search')];
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
    const example = /# prints its id, e\.g\. ([a-z]-[a-z0-9]+)/.exec(line)?.[1];
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
