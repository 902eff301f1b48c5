// Reading a file with a size bound: a file within the bound reads whole, one past it is refused without
// being read, a FIFO or folder is no file (and never hangs the read), and a file whose stat says less than
// it holds (as /proc files do, or one growing under the read) is still read whole or caught at the bound.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileBounded } from '../../src/store/bounded-file.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('readFileBounded', () => {
  it('reads a file of at most the bound whole, and refuses one byte more by its size', () => {
    const dir = scratch();
    const f = join(dir, 'f');
    writeFileSync(f, 'hello');
    const r = readFileBounded(f, 5);
    expect(r.ok && r.bytes.toString()).toBe('hello');
    expect(r).toMatchObject({ ok: true, size: 5, links: 1 });
    expect(readFileBounded(f, 4)).toEqual({ ok: false, reason: 'too_large', size: 5 });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(readFileBounded(empty, 0)).toMatchObject({ ok: true, size: 0 });
  });

  it('a small file under a huge bound reads without a buffer the size of the bound', () => {
    const dir = scratch();
    const f = join(dir, 'f');
    writeFileSync(f, 'small');
    const r = readFileBounded(f, Number.MAX_SAFE_INTEGER);
    expect(r.ok && r.bytes.toString()).toBe('small');
  });

  it('a folder or a FIFO is not a file: refused at once, never a hang', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'd'));
    expect(readFileBounded(join(dir, 'd'), 100)).toMatchObject({ ok: false, reason: 'not_a_file' });
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(readFileBounded(fifo, 100)).toMatchObject({ ok: false, reason: 'not_a_file' });
  });

  it('a file whose stat says 0 bytes is read whole as it grows past that, or caught one byte past the bound', () => {
    const status = '/proc/self/status';
    const r = readFileBounded(status, 1 << 20);
    expect(r.ok).toBe(true);
    expect(r.ok && r.bytes.toString()).toMatch(/^Name:[\s\S]*\nPid:[\s\S]*\n$/);
    expect(readFileBounded(status, 100)).toEqual({ ok: false, reason: 'too_large', size: 101 });
    // a thread's name file holds exactly what was written to it, plus "\n": 4 bytes, read with a bound of 4
    const comm = '/proc/thread-self/comm';
    const name = readFileSync(comm, 'utf8').trim();
    try {
      writeFileSync(comm, 'abc');
      const got = readFileBounded(comm, 4);
      expect(got.ok && got.bytes.toString()).toBe('abc\n');
      expect(readFileBounded(comm, 3)).toEqual({ ok: false, reason: 'too_large', size: 4 });
    } finally {
      writeFileSync(comm, name);
    }
  });

  it('closes the file every time, whatever the answer', () => {
    const dir = scratch();
    const f = join(dir, 'f');
    writeFileSync(f, 'hello');
    mkdirSync(join(dir, 'd'));
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) {
      readFileBounded(f, 100);
      readFileBounded(f, 1);
      readFileBounded(join(dir, 'd'), 100);
    }
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });
});
