// Reading a file back with a size bound. A file may have grown since it was indexed (or while we
// read it): the size is checked on the open descriptor, and at most limit + 1 bytes are ever read,
// so a file that grows between the check and the read is still caught instead of read whole.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead = { ok: true; bytes: Buffer; size: number; /** Hard links to the file (st.nlink of the open descriptor). */ links: number } | { ok: false; reason: 'too_large' | 'not_a_file'; size: number };

/** Reads `file` if it is a regular file of at most `limit` bytes; otherwise says why not. Missing files throw (ENOENT). */
export function readFileBounded(file: string, limit: number): BoundedRead {
  // O_NONBLOCK: a FIFO planted where a document was expected must not hang the process on open.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not_a_file', size: st.size };
    if (st.size > limit) return { ok: false, reason: 'too_large', size: st.size };
    // Sized by stat, grown only if the file grows under us, never past limit + 1.
    let buf = Buffer.allocUnsafe(Math.min(st.size, limit) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > limit) return { ok: false, reason: 'too_large', size: got };
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    // Stryker disable next-line ConditionalExpression: unreachable as things are (the loop ends only with got < buf.length <= limit + 1); kept so the bound holds whatever the loop becomes
    if (got > limit) return { ok: false, reason: 'too_large', size: got };
    return { ok: true, bytes: buf.subarray(0, got), size: got, links: st.nlink };
  } finally {
    closeSync(fd);
  }
}

/**
 * The last `maxBytes` of a regular file as text, from its first whole line (undefined if it is no
 * regular file): a history that only grows is read from its end, never whole.
 */
export function readFileTail(file: string, maxBytes: number): string | undefined {
  return withRegularFile(file, (fd, size) => {
    const start = Math.max(0, size - maxBytes);
    const text = readAt(fd, start, size - start);
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  });
}

/**
 * The first and the last `bytes` of a regular file as text, and its size (undefined if it is no regular
 * file): what a file is can be told from its ends without reading it whole.
 */
export function readFileEnds(file: string, bytes: number): { head: string; tail: string; size: number } | undefined {
  return withRegularFile(file, (fd, size) => ({
    head: readAt(fd, 0, Math.min(bytes, size)),
    tail: size > bytes ? readAt(fd, size - bytes, bytes) : '',
    size,
  }));
}

/** The size of a regular file; undefined when something else stands there (a FIFO, a device, a folder). Missing files throw. */
export function regularFileSize(file: string): number | undefined {
  return withRegularFile(file, (_fd, size) => size);
}

/** fn on the open file, if it is a regular file (O_NONBLOCK: a FIFO in its place never holds the open). Missing files throw. */
function withRegularFile<T>(file: string, fn: (fd: number, size: number) => T): T | undefined {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    return st.isFile() ? fn(fd, st.size) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes from `start` as text (fewer if the file ends first). */
function readAt(fd: number, start: number, length: number): string {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  for (let n = -1; n !== 0 && got < length; got += n) n = readSync(fd, buf, got, length - got, start + got);
  return buf.subarray(0, got).toString('utf8');
}
