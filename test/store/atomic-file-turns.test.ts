// writeFileAtomicInTurns, the writer of cache files a server writes beside its calls: the pieces become
// one file, replacing the old one whole, and temp files that writes stopped part-way left behind (a
// server closed by its client mid-write) are cleared, while one a live write may own is left alone.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicInTurns } from '../../src/store/atomic-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmcp-atomic-turns-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomicInTurns', () => {
  it('writes the pieces one after the other as the whole new file, leaving no temp file', async () => {
    const file = join(dir, 'cache', 'x.bin');
    await writeFileAtomicInTurns(file, [Buffer.from('old file, longer than the new one')]);
    await writeFileAtomicInTurns(file, [Buffer.from('ab'), new Uint8Array(0), Uint8Array.from([99, 100])]);
    expect(readFileSync(file, 'latin1')).toBe('abcd');
    expect(readdirSync(join(dir, 'cache'))).toEqual(['x.bin']);
  });

  it('clears temp files of the same name that a stopped write left, but not a recent one, nor anything else', async () => {
    const file = join(dir, 'x.bin');
    const old = join(dir, '.x.bin.1a2b3c4d.tmp');
    const recent = join(dir, '.x.bin.5e6f7a8b.tmp');
    const other = join(dir, '.y.bin.1a2b3c4d.tmp');
    const target = join(dir, 'keep-me');
    const link = join(dir, '.x.bin.0000abcd.tmp');
    for (const f of [old, recent, other, target]) writeFileSync(f, 'left over');
    symlinkSync(target, link);
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    for (const f of [old, other, target]) utimesSync(f, hourAgo, hourAgo);
    await writeFileAtomicInTurns(file, [Buffer.from('new')]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(target)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['.x.bin.0000abcd.tmp', '.x.bin.5e6f7a8b.tmp', '.y.bin.1a2b3c4d.tmp', 'keep-me', 'x.bin']);
  });

  it('writes nothing through a folder that is a link (a cloned .flow/cache pointing elsewhere), nor clears temp files there', async () => {
    const outside = join(dir, 'outside');
    const stale = join(outside, '.x.bin.1a2b3c4d.tmp');
    mkdirSync(outside);
    writeFileSync(stale, 'not ours');
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(stale, hourAgo, hourAgo);
    symlinkSync(outside, join(dir, 'cache'));
    await expect(writeFileAtomicInTurns(join(dir, 'cache', 'x.bin'), [Buffer.from('new')])).rejects.toThrow(/not a folder/);
    expect(readdirSync(outside)).toEqual(['.x.bin.1a2b3c4d.tmp']);
  });
});
