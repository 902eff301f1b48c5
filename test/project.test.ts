// project.ts: where the project is (--dir, else FLOW_DIR, else the client's first file:// root, else
// the cwd) and opening it, shared by the CLI, the stdio server and the HTTP server.
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectDir, projectDir, startProject } from '../src/project.js';
import { tempDir } from './helpers/workspace.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('project directory', () => {
  it('--dir wins over FLOW_DIR, which wins over the roots; the roots are not even asked then', async () => {
    let asked = 0;
    const roots = async () => {
      asked++;
      return ['file:///from/roots'];
    };
    expect(await findProjectDir('/flag', roots, { FLOW_DIR: '/env' })).toEqual({ dir: '/flag', source: 'flag' });
    expect(await findProjectDir(undefined, roots, { FLOW_DIR: '/env' })).toEqual({ dir: '/env', source: 'env' });
    expect(asked).toBe(0);
  });

  it('takes the first file:// root, else the working directory', async () => {
    const root = tempDir();
    made.push(root);
    expect(await findProjectDir(undefined, async () => ['https://example.com/x', pathToFileURL(root).href], {})).toEqual({ dir: root, source: 'roots' });
    expect(await findProjectDir(undefined, async () => ['https://example.com/x'], {})).toEqual({ dir: process.cwd(), source: 'cwd' });
  });

  it('without roots (the CLI, HTTP): --dir, else FLOW_DIR, else the working directory', () => {
    expect(projectDir('/flag', { FLOW_DIR: '/env' }).source).toBe('flag');
    expect(projectDir(undefined, { FLOW_DIR: '/env' })).toEqual({ dir: '/env', source: 'env' });
    expect(projectDir(undefined, {})).toEqual({ dir: process.cwd(), source: 'cwd' });
  });

  it('startProject opens the workspace with a session for the agent named', () => {
    const dir = tempDir();
    made.push(dir);
    const call = startProject({ dir, source: 'flag' }, 'someone');
    try {
      expect(call.ws.root).toBe(dir);
      expect(call.session.agent).toBe('someone');
    } finally {
      call.ws.close();
    }
  });
});
