// The README's examples as data, read from README.md itself so the tests that run them cannot drift
// from what a reader sees: fenced blocks by section and language, and the lines of its ```sh blocks
// (a line ending in `\` joined with the next, a trailing `# comment` split off).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');

export interface Block {
  /** The `## ` section it is in ('' before the first). */
  section: string;
  /** The fence's language: sh, json, jsonc, toml, or '' for a bare fence. */
  lang: string;
  body: string;
}

export interface ShellLine {
  section: string;
  /** The line as the README shows it (continuations joined). */
  line: string;
  /** The command alone, its trailing comment left off. */
  command: string;
}

export function readme(): string {
  return readFileSync(join(ROOT, 'README.md'), 'utf8');
}

export function blocks(text = readme()): Block[] {
  const out: Block[] = [];
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('## ')) section = l.slice(3).trim();
    const fence = /^```(\S*)\s*$/.exec(l);
    if (!fence) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    out.push({ section, lang: fence[1]!, body: body.join('\n') });
  }
  return out;
}

/** Every line of every ```sh block, in README order. */
export function shellLines(text = readme()): ShellLine[] {
  return blocks(text)
    .filter((b) => b.lang === 'sh')
    .flatMap((b) =>
      b.body
        .replace(/\\\n\s*/g, '')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((line) => ({ section: b.section, line, command: line.replace(/\s+#\s.*$/, '').trim() })),
    );
}

/** The sections whose ```sh blocks test/e2e/readme-tour.test.ts runs as one tour, in order. */
export const TOUR_SECTIONS = ['A one-minute tour', 'Documents and search'];

/**
 * The tour's commands: the ```sh blocks of those sections made of flowmcp commands only (`serve` does
 * not return; blocks that start servers are run elsewhere).
 */
export function tourCommands(text = readme()): string[] {
  const out: string[] = [];
  for (const section of TOUR_SECTIONS) {
    if (!text.includes(`\n## ${section}\n`)) throw new Error(`README has no section "## ${section}"`);
    for (const b of blocks(text).filter((x) => x.lang === 'sh' && x.section === section)) {
      const lines = b.body.split('\n').filter((l) => l.trim() !== '');
      if (lines.every((l) => l.startsWith('flowmcp ') && !l.startsWith('flowmcp serve'))) out.push(...lines);
    }
  }
  return out;
}

/** A `flowmcp` on PATH (in `<dir>/bin`) that runs the built dist/cli.js, as `npm link` would give. */
export function flowmcpOnPath(dir: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'flowmcp'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'flowmcp'), 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  delete env.FLOW_DIR; // the examples run in the project folder, as a user would
  delete env.FLOW_TOKEN;
  return env;
}

/** A test file's sandbox: a temporary folder with flowmcp on PATH (made before its tests, removed after). */
export interface ReadmeSandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** A fresh project folder in the sandbox. */
  project(name: string): string;
}

export function readmeSandbox(prefix: string): ReadmeSandbox {
  const box: ReadmeSandbox = {
    dir: '',
    env: {},
    project(name) {
      const p = join(box.dir, name);
      mkdirSync(p, { recursive: true });
      return p;
    },
  };
  beforeAll(() => {
    box.dir = mkdtempSync(join(tmpdir(), prefix));
    box.env = flowmcpOnPath(box.dir);
  });
  afterAll(() => rmSync(box.dir, { recursive: true, force: true }));
  return box;
}
