// What `serve` on stdio says at start about the project folder: the folder findProjectDir will pick when
// the client names no root, which from a subfolder of a project is that project (cwdProject), not the
// working directory the line used to name.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cwdProject } from '../../src/project.js';
import { projectFolderNote } from '../../src/server/stdio.js';
import { tempDir } from '../helpers/workspace.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("serve on stdio names the folder that will be the project", () => {
  it('from a subfolder of a project: the project above, said as such', () => {
    const root = tempDir();
    made.push(root);
    mkdirSync(join(root, '.flow'));
    writeFileSync(join(root, '.flow', 'flow.db'), '');
    const sub = join(root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const note = projectFolderNote(undefined, {}, () => cwdProject(sub));
    expect(note).toBe(`the client's first root, else ${root} (the nearest folder above the working directory holding .flow/)`);
    expect(note).not.toContain(sub);
  });

  it('with no project above: the working directory; --dir before FLOW_DIR, as findProjectDir', () => {
    const here = tempDir();
    made.push(here);
    expect(projectFolderNote(undefined, {}, () => cwdProject(here))).toBe(`the client's first root, else the working directory ${here}`);
    expect(projectFolderNote('/p/flag', { FLOW_DIR: '/p/env' })).toBe('--dir /p/flag');
    expect(projectFolderNote(undefined, { FLOW_DIR: '/p/env' })).toBe('FLOW_DIR /p/env');
    expect(projectFolderNote('', { FLOW_DIR: '/p/env' })).toBe('FLOW_DIR /p/env');
  });
});
