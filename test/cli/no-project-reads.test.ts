// A command that only reads, run in a folder with no project, says there is none and leaves nothing
// behind (a `task list` typed in the wrong folder used to create .flow/ there); the first change makes it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let root: string;
beforeAll(() => {
  assertBuilt();
  root = tempDir();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FLOW_DIR: '' } });

describe('reading where there is no project', () => {
  it('lists, searches, the log, an export and dry runs say there is no project, exit 1, and create nothing', () => {
    const here = join(root, 'not-a-project');
    mkdirSync(here);
    writeFileSync(join(here, 'flows.json'), '{"flows": []}');
    for (const args of [['task', 'list'], ['flow', 'get'], ['search', 'retry policy'], ['log'], ['export'], ['run', '/flow next', '--dry-run'], ['run', 'show me blocked tasks'], ['run', "what's next?"], ['run', '/flow status'], ['command', '/flow list tasks'], ['import', 'flows.json', '--dry-run'], ['task', 'get', 't-abcd'], ['hooks', 'list'], ['events'], ['snapshot', 'prune', '--dry-run']]) {
      const r = cli(here, ...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(`There is no flowmcp project in ${here}`);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(existsSync(join(here, '.flow')), args.join(' ')).toBe(false);
    }
    // An import's dry run is the first step of a move from the earlier Flow system: it does not say there
    // is nothing to read (there is a file), it says why it cannot compare and what makes the project.
    const dry = cli(here, 'import', 'flows.json', '--dry-run');
    expect(dry.stderr).not.toContain('nothing to read');
    expect(dry.stderr).toContain('a dry run has nothing to compare the file with');
    expect(dry.stderr).toContain('Run the same import without --dry-run to start the project here');
    const real = cli(here, 'import', 'flows.json');
    expect(real.status, real.stderr).toBe(0);
    expect(existsSync(join(here, '.flow'))).toBe(true);
    rmSync(join(here, '.flow'), { recursive: true });
    // Named with --dir from elsewhere: the same.
    const r = cli(root, 'task', 'list', '--dir', here);
    expect(r.status).toBe(1);
    expect(existsSync(join(here, '.flow'))).toBe(false);
  });

  it('help and refusals of a request are answered where there is no project, and make none', () => {
    const here = join(root, 'answered');
    mkdirSync(here);
    const help = cli(here, 'run', '/flow help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('/flow add flow <name>');
    for (const [text, said] of [['/flow frobnicate', 'Could not read "frobnicate"'], ['mark login page done', 'No task matches "login page"']] as const) {
      const r = cli(here, 'run', text);
      expect(r.status, text).toBe(1);
      expect(r.stderr, text).toContain(said);
    }
    // An import refused for its file (missing, a folder) changes nothing: not even a new project.
    mkdirSync(join(here, '.ai-brain'));
    for (const [file, said] of [['.ai-brain/flows.json', 'Cannot read .ai-brain/flows.json: ENOENT.'], ['.ai-brain', '.ai-brain is not a regular file']] as const) {
      const r = cli(here, 'import', file);
      expect(r.status, file).toBe(1);
      expect(r.stderr, file).toContain(said);
    }
    expect(existsSync(join(here, '.flow'))).toBe(false);
  });

  it('the first change makes the project, and reads work from then on', () => {
    const here = join(root, 'new-project');
    mkdirSync(here);
    // A change said in plain language makes it too (only reads were kept from making one).
    const said = cli(here, 'run', 'create flow Said');
    expect(said.status, said.stderr).toBe(0);
    expect(existsSync(join(here, '.flow'))).toBe(true);
    rmSync(join(here, '.flow'), { recursive: true });
    const made = cli(here, 'flow', 'create', 'My work');
    expect(made.status).toBe(0);
    expect(existsSync(join(here, '.flow'))).toBe(true);
    const list = cli(here, 'task', 'list');
    expect(list.status).toBe(0);
    expect(list.stderr).not.toContain('no flowmcp project');
  });
});
