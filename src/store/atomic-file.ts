// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
// target, fsync the directory. A reader sees the old file or the new one, never half of either.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nodeCrypto } from '../node-crypto.js';
import { mapFaults, placeOf } from '../model/storage-faults.js';

/**
 * Replaces `file` with `data`, crash-safely. A full disk, a read-only folder or an I/O error is thrown
 * as the FlowError it is (model/storage-faults.ts); the temp file is removed and the old file left as it was.
 */
export function writeFileAtomic(file: string, data: string | Buffer, stillWanted?: () => boolean): boolean {
  return mapFaults(() => writeAtomic(file, data, stillWanted), { where: placeOf(file) });
}

/**
 * `stillWanted`, asked after the temp file is on disk and just before the rename: false leaves the target
 * as it is (someone else wrote it meanwhile: a hand-edited context.json) and returns false. Asked then,
 * the window in which another writer's file is replaced unseen is the rename's own, not the fsync's.
 */
function writeAtomic(file: string, data: string | Buffer, stillWanted?: () => boolean): boolean {
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
  if (stillWanted && !stillWanted()) {
    rmSync(tmp, { force: true });
    return false;
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here (the rename failed), so force changes nothing
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
  return true;
}

/**
 * The same, with the bytes given as pieces written one after the other, and every write, fsync and
 * rename done by the thread pool: a server writes a big cache file (tens of MB) without holding the
 * event loop. Faults are thrown as Node gives them (a cache's writer only logs them).
 */
export async function writeFileAtomicInTurns(file: string, pieces: readonly Uint8Array[]): Promise<void> {
  const { lstat, mkdir, open, rename, rm } = await fsPromises();
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  // The folder is under .flow/, which a cloned repository may have written: a link there (cache -> ~/x)
  // would have this write, and the clearing of stale temp files, land outside the project.
  if (!(await lstat(dir)).isDirectory()) throw new Error(`${dir} is not a folder (a link?): nothing is written through it`);
  await removeStaleTemps(dir, basename(file));
  const tmp = join(dir, `.${basename(file)}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    for (const p of pieces) for (let off = 0; off < p.length; ) off += (await fh.write(p, off, p.length - off)).bytesWritten;
    await fh.sync();
    await fh.close();
    await rename(tmp, file);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * node:fs/promises, loaded at the first write that needs it: a one-shot command (most never write a cache
 * file) does not pay for loading it at start (~2.5 ms of a ~90 ms `flowmcp task list`).
 */
export const fsPromises = () => import('node:fs/promises');

/** A temp file this old was left by a process that stopped mid-write (a write takes well under a second). */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes temp files an earlier write of `name` left behind when its process was stopped part-way
 * (killed, or a server closed by its client while it wrote beside its calls): each is a whole file's
 * size, and they would pile up. Only regular files of that name's pattern, old enough that no live
 * write owns them.
 */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const { lstat, readdir, rm } = await fsPromises();
  const prefix = `.${name}.`;
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const path = join(dir, entry);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isFile() && Date.now() - st.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
