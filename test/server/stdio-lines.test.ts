// stdin cut into whole lines with a bound, whatever chunks the bytes arrive in: lines pass on whole, an
// over-long one is reported (its length and last bytes) and dropped, and the lines after it still pass.
import { describe, expect, it } from 'vitest';
import { boundedLines, trailingId, type TooLong } from '../../src/server/stdio-lines.js';

async function feed(maxBytes: number, chunks: string[]): Promise<{ lines: string[]; tooLong: TooLong[] }> {
  const tooLong: TooLong[] = [];
  const t = boundedLines(maxBytes, (x) => tooLong.push(x));
  const out: Buffer[] = [];
  t.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((r) => t.on('end', r));
  for (const c of chunks) t.write(Buffer.from(c));
  t.end();
  await ended;
  return { lines: out.map((b) => b.toString()), tooLong };
}

describe('boundedLines', () => {
  it('passes each line on whole, however the chunks cut it', async () => {
    expect((await feed(100, ['{"a"', ':1}\n{"b":2}\n{', '"c":3}\n'])).lines).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
  });

  it('a line past the bound (newline counted) is reported with its length and tail, and the next line passes', async () => {
    const long = `{"p":"${'x'.repeat(400)}","jsonrpc":"2.0","id":7}\n`;
    const r = await feed(64, [long.slice(0, 30), long.slice(30, 300), long.slice(300), 'ok\n']);
    expect(r.lines).toEqual(['ok\n']);
    expect(r.tooLong).toHaveLength(1);
    expect(r.tooLong[0]!.bytes).toBe(long.length);
    expect(r.tooLong[0]!.tail).toBe(long.slice(-256));
    expect(trailingId(r.tooLong[0]!.tail)).toBe(7);
    expect((await feed(8, ['1234567\n'])).lines).toEqual(['1234567\n']);
    expect((await feed(8, ['12345678\n'])).tooLong.map((t) => t.bytes)).toEqual([9]);
  });
});

describe('trailingId', () => {
  it('reads a number or string id the message ends with, and nothing else', () => {
    expect(trailingId('..."jsonrpc":"2.0","id":12}\n')).toBe(12);
    expect(trailingId('..."id": "a\\"b" }')).toBe('a"b');
    expect(trailingId('..."id":12,"method":"x"}')).toBeUndefined();
    expect(trailingId('xxxx')).toBeUndefined();
  });
});
