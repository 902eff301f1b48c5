// safeJoin when making a folder fails: a full or read-only disk is reported as that, naming the folder
// (not .flow/, when the root is elsewhere); a folder someone else made in between is used, not an
// error; any other failure reaches the caller as it was. mkdirSync is replaced (tests run as root, so
// no real folder can be made unwritable): it fails for paths named in `fail`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fail = new Map<string, string>();

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const wrapped = {
    ...real,
    mkdirSync: (path: string, opts?: unknown) => {
      const code = fail.get(path);
      if (code === 'EEXIST') {
        // Another process made it a moment ago.
        real.mkdirSync(path, opts as never);
        throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${path}'`), { code });
      }
      if (code) throw Object.assign(new Error(`${code}: simulated, mkdir '${path}'`), { code });
      return real.mkdirSync(path, opts as never);
    },
  };
  return { ...wrapped, default: wrapped };
});

const { safeJoin } = await import('../../../src/core/docs/doc-paths.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmcp-paths-'));
  fail.clear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safeJoin when a folder cannot be made', () => {
  it('a full disk while making a folder on the way is disk_full, naming that folder', () => {
    const root = join(dir, 'root');
    fail.set(join(root, 'a'), 'ENOSPC');
    expect(() => safeJoin(root, 'a/b.md', { createDirs: true })).toThrow(
      expect.objectContaining({ code: 'disk_full', message: expect.stringContaining(`The disk holding ${join(root, 'a')}/ is full (ENOSPC).`) }),
    );
  });

  it('a read-only root is read_only, naming the root', () => {
    const root = join(dir, 'root');
    fail.set(root, 'EROFS');
    expect(() => safeJoin(root, 'b.md', { createDirs: true })).toThrow(
      expect.objectContaining({ code: 'read_only', message: expect.stringContaining(`${root}/ cannot be written by this process (EROFS).`) }),
    );
  });

  it('a folder made by someone else in between is used', () => {
    const root = join(dir, 'root');
    fail.set(join(root, 'a'), 'EEXIST');
    expect(safeJoin(root, 'a/b.md', { createDirs: true })).toBe(join(root, 'a', 'b.md'));
    expect(existsSync(join(root, 'a'))).toBe(true);
  });

  it('any other failure reaches the caller unchanged', () => {
    const root = join(dir, 'root');
    fail.set(join(root, 'a'), 'EINVAL');
    expect(() => safeJoin(root, 'a/b.md', { createDirs: true })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
