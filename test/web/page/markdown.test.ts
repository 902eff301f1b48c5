// The web page's inline markdown (markdown.ts): spans found as before, and a description full of
// unclosed brackets, backticks or stars read with each span's length bounded (unbounded, every unclosed
// mark was read to the line's end: quadratic, and 40,000 of them froze the browser tab for seconds).
import { describe, expect, it } from 'vitest';
import { inWorker } from '../../helpers/in-worker.js';
import { inlineSpans } from '../../helpers/markdown-spans.js';

const spans = new URL('../../helpers/markdown-spans.ts', import.meta.url);

describe('inline markdown spans', () => {
  it('finds code, bold, emphasis and links', () => {
    expect(inlineSpans('run `npm ci`, **then** *test* _it_ and read [the guide](https://example.com/x)')).toEqual([
      '`npm ci`',
      '**then**',
      '*test*',
      '_it_',
      '[the guide](https://example.com/x)',
    ]);
  });

  it('a description of 50,000 unclosed marks (the longest a description may be) is read, and a link after them found', async () => {
    for (const mark of ['[', '`', '*', '_']) {
      const text = `${mark.repeat(50_000)} [link](https://example.com)`;
      const found = await inWorker<string[]>(spans, 'inlineSpans', [text]);
      // (Brackets before a link are its text, as Markdown reads "[[x](u)": only the end is certain.)
      expect(found.at(-1), mark).toMatch(/link\]\(https:\/\/example\.com\)$/);
    }
  }, 120_000);
});
