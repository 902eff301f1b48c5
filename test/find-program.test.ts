// Finding a program by its bare name (find-program.ts): through PATH's absolute folders only, so a
// program of that name in the project folder (a relative PATH entry, an empty one) is never the one run.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from '../src/find-program.js';
import { tempDirPerTest } from './helpers/workspace.js';

const scratch = tempDirPerTest('flowmcp-find-program-');

function bin(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('findProgram', () => {
  it('finds a program in the first absolute PATH folder that has it, runnable', () => {
    const d = scratch();
    bin(join(d, 'a'), 'tool', 0o644); // there, but not runnable
    const b = bin(join(d, 'b'), 'tool');
    bin(join(d, 'c'), 'tool');
    expect(findProgram('tool', { PATH: [join(d, 'a'), join(d, 'b'), join(d, 'c')].join(':') }, 'linux')).toBe(b);
    expect(findProgram('other', { PATH: join(d, 'b') }, 'linux')).toBeUndefined();
  });

  it('passes over relative and empty PATH entries, which would be read from the project folder', () => {
    const d = scratch();
    const planted = bin(join(d, 'node_modules', '.bin'), 'xdg-open');
    const real = bin(join(d, 'usr-bin'), 'xdg-open');
    const cwd = process.cwd();
    process.chdir(d);
    try {
      expect(findProgram('xdg-open', { PATH: `node_modules/.bin::.:${join(d, 'usr-bin')}` }, 'linux')).toBe(real);
      expect(findProgram('xdg-open', { PATH: 'node_modules/.bin::.' }, 'linux')).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
    expect(planted).not.toBe(real);
  });

  it('a name with a folder in it is a path the user chose, left as it is', () => {
    expect(findProgram('./scripts/notify.sh', { PATH: '/usr/bin' }, 'linux')).toBe('./scripts/notify.sh');
    expect(findProgram('/usr/bin/env', { PATH: '' }, 'linux')).toBe('/usr/bin/env');
    expect(findProgram('scripts\\notify.cmd', { PATH: '' }, 'win32')).toBe('scripts\\notify.cmd');
  });

  it('on Windows, Path: a bare name is found as a .com or .exe, never a .cmd or .bat (those need a shell)', () => {
    const d = scratch();
    const exe = bin(join(d, 'win'), 'rundll32.exe');
    bin(join(d, 'win'), 'npm.cmd');
    expect(findProgram('rundll32', { Path: `.;${join(d, 'win')}`, PATHEXT: '.COM;.EXE;.CMD' }, 'win32')).toBe(exe);
    expect(findProgram('rundll32', { Path: '.' }, 'win32')).toBeUndefined();
    expect(findProgram('npm', { Path: join(d, 'win'), PATHEXT: '.COM;.EXE;.CMD' }, 'win32')).toBeUndefined();
  });
});
