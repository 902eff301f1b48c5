// Durability order of writeFileAtomic, asserted on the calls themselves: kill -9 tests cannot see a
// missing fsync (the page cache survives a killed process; only a power cut loses it), so a write
// without fsync before the rename, or without the directory fsync after it, passed every other test.
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Call = [string, ...unknown[]];
const log: Call[] = [];
const fail: { rename?: string; write?: string; chunk?: number } = {};

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fdPaths = new Map<number, string>();
  const wrapped = {
    ...real,
    openSync: (path: string, flags: string, mode?: number) => {
      const fd = real.openSync(path, flags, mode);
      fdPaths.set(fd, path);
      log.push(['open', path, flags]);
      return fd;
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      if (fail.write) throw Object.assign(new Error(`${fail.write}: simulated`), { code: fail.write });
      log.push(['write', fdPaths.get(fd)]);
      // A short write (the kernel may take fewer bytes than asked): at most `chunk` bytes per call.
      if (fail.chunk) {
        const [buf, off, len] = rest as [Buffer, number, number];
        if (off + len > buf.length) throw new RangeError('write past the end of the buffer');
        return real.writeSync(fd, buf, off, Math.min(len, fail.chunk));
      }
      return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      log.push(['fsync', fdPaths.get(fd)]);
      real.fsyncSync(fd);
    },
    closeSync: (fd: number) => {
      log.push(['close', fdPaths.get(fd)]);
      real.closeSync(fd);
    },
    renameSync: (from: string, to: string) => {
      if (fail.rename) throw Object.assign(new Error(`${fail.rename}: simulated`), { code: fail.rename });
      log.push(['rename', from, to]);
      real.renameSync(from, to);
    },
  };
  return { ...wrapped, default: wrapped };
});

const { writeFileAtomic } = await import('../../src/store/atomic-file.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmcp-atomic-'));
  log.length = 0;
  delete fail.rename;
  delete fail.write;
  delete fail.chunk;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('asked just before the rename whether it is still wanted: no leaves the target as another writer left it, and no temp file', () => {
    const file = join(dir, 'context.json');
    writeFileSync(file, 'old');
    let asked = '';
    const wrote = writeFileAtomic(file, 'mine', () => {
      asked = log.map((c) => c[0]).join(' '); // what had happened by then
      writeFileSync(file, 'theirs, written meanwhile');
      return false;
    });
    expect(wrote).toBe(false);
    expect(asked).toMatch(/fsync close$/); // after the temp file was on disk, before any rename
    expect(readFileSync(file, 'utf8')).toBe('theirs, written meanwhile');
    expect(readdirSync(dir)).toEqual(['context.json']);
    expect(writeFileAtomic(file, 'mine', () => true)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('writes a temp file beside the target, fsyncs it, closes, renames it over the target, then fsyncs the folder', () => {
    const file = join(dir, 'sub', 'context.json');
    writeFileAtomic(file, 'new text');
    expect(readFileSync(file, 'utf8')).toBe('new text');
    const [open, ...rest] = log;
    const tmp = open![1] as string;
    expect(dirname(tmp)).toBe(dirname(file)); // same folder, so the rename is atomic
    expect(tmp).not.toBe(file);
    expect(open![2]).toBe('wx'); // never opens (and truncates) something already there
    const order = rest.map((c) => `${c[0]} ${c[1] === tmp ? 'tmp' : c[1] === dirname(file) ? 'dir' : c[1]}`);
    const writes = order.filter((o) => o === 'write tmp').length;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(order.slice(writes)).toEqual(['fsync tmp', 'close tmp', `rename tmp`, 'open dir', 'fsync dir', 'close dir']);
    expect(log.find((c) => c[0] === 'rename')).toEqual(['rename', tmp, file]);
    expect(readdirSync(dirname(file))).toEqual(['context.json']);
  });

  it('writes Buffers byte for byte, and replaces a longer old file whole', () => {
    const file = join(dir, 'blob');
    writeFileSync(file, 'x'.repeat(1000));
    const data = Buffer.from([0, 1, 2, 255, 10, 13]);
    writeFileAtomic(file, data);
    expect(readFileSync(file)).toEqual(data);
  });

  it('short writes are continued where they stopped until every byte is written', () => {
    const file = join(dir, 'chunked.txt');
    fail.chunk = 3;
    writeFileAtomic(file, 'abcdefghij');
    expect(readFileSync(file, 'utf8')).toBe('abcdefghij');
    expect(log.filter((c) => c[0] === 'write')).toHaveLength(4);
  });

  it('a failed rename leaves the old file as it was and no temp file behind', () => {
    const file = join(dir, 'keep.json');
    writeFileSync(file, 'old');
    fail.rename = 'EIO';
    expect(() => writeFileAtomic(file, 'new')).toThrow(expect.objectContaining({ code: 'storage', details: { fault: 'EIO' }, message: expect.stringContaining(`${dir}/ could not be read or written`) }));
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['keep.json']);
  });

  it('a full disk while writing is the disk_full error; the old file stays and the temp file is gone', () => {
    const file = join(dir, 'keep.json');
    writeFileSync(file, 'old');
    fail.write = 'ENOSPC';
    expect(() => writeFileAtomic(file, 'new')).toThrow(expect.objectContaining({ code: 'disk_full' }));
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['keep.json']);
    // The temp file's descriptor was closed, not leaked.
    const tmpOpen = log.find((c) => c[0] === 'open');
    expect(log.some((c) => c[0] === 'close' && c[1] === tmpOpen![1])).toBe(true);
  });
});
