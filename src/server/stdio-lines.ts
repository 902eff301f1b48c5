// What the stdio server reads from stdin: whole lines (one JSON-RPC message each) up to a bound. The
// SDK's transport, given a message past its buffer (10 MB), closed the whole session: the server
// exited and the assistant lost its tools for the rest of its session. Here a line past the bound is
// dropped as it arrives (never held whole) and reported with its length and its last bytes, where the
// SDK's client writes the message's id, so the server can answer that request and go on.
import { Transform, type TransformCallback } from 'node:stream';

/** The bytes of an over-long line kept to find its id: `"jsonrpc":"2.0","id":…}` and then some. */
const TAIL_BYTES = 256;

export interface TooLong {
  bytes: number;
  /** The line's last bytes (its id, when the writer put it at the end). */
  tail: string;
}

/** Passes on whole lines of at most maxBytes (newline included); an over-long line goes to onTooLong instead. */
export function boundedLines(maxBytes: number, onTooLong: (t: TooLong) => void): Transform {
  let parts: Buffer[] = [];
  let held = 0;
  let dropping = false;
  let tail = Buffer.alloc(0);
  const keepTail = (b: Buffer) => {
    tail = Buffer.concat([tail, b.subarray(Math.max(0, b.length - TAIL_BYTES))]);
    tail = tail.subarray(Math.max(0, tail.length - TAIL_BYTES));
  };
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(0x0a, at);
        const end = nl === -1 ? chunk.length : nl + 1;
        const piece = chunk.subarray(at, end);
        held += piece.length;
        if (!dropping && held > maxBytes) {
          dropping = true;
          for (const p of parts) keepTail(p);
          parts = [];
        }
        if (dropping) keepTail(piece);
        else parts.push(piece);
        if (nl !== -1) {
          if (dropping) onTooLong({ bytes: held, tail: tail.toString('utf8') });
          else this.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
          parts = [];
          held = 0;
          dropping = false;
          tail = Buffer.alloc(0);
        }
        at = end;
      }
      done();
    },
  });
}

/** The id a JSON-RPC message ends with (`…"id":5}` or `…"id":"x"}`), if it does. */
export function trailingId(tail: string): string | number | undefined {
  const m = /"id"\s*:\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/.exec(tail);
  if (!m) return undefined;
  return JSON.parse(m[1]!) as string | number;
}
