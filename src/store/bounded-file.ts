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
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const start = Math.max(0, st.size - maxBytes);
    const buf = Buffer.allocUnsafe(st.size - start);
    let got = 0;
    for (let n = -1; n !== 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, start + got);
    const text = buf.subarray(0, got).toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    closeSync(fd);
  }
}
