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

  it('a span longer than its bound is no span: a link text of 600 characters stays text', () => {
    expect(inlineSpans(`[${'a'.repeat(600)}](https://example.com)`)).toEqual([]);
    expect(inlineSpans(`[${'a'.repeat(500)}](https://example.com)`)).toHaveLength(1);
  });

  it('a description of 50,000 marks that never close (the longest a description may be) finds nothing, in a worker', async () => {
    for (const text of ['['.repeat(50_000), '[a'.repeat(25_000), '`'.repeat(50_000), '*'.repeat(50_000), '_'.repeat(50_000)]) {
      expect(await inWorker<string[]>(spans, 'inlineSpans', [text])).toEqual([]);
    }
  }, 120_000);
});
