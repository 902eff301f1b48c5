// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
// target, fsync the directory. A reader sees the old file or the new one, never half of either.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nodeCrypto } from '../node-crypto.js';
import { mapFaults, placeOf } from './faults.js';

/**
 * Replaces `file` with `data`, crash-safely. A full disk, a read-only folder or an I/O error is thrown
 * as the FlowError it is (store/faults.ts); the temp file is removed and the old file left as it was.
 */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  mapFaults(() => writeAtomic(file, data), { where: placeOf(file) });
}

function writeAtomic(file: string, data: string | Buffer): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here (this call made it), so force changes nothing
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here (the rename failed), so force changes nothing
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
