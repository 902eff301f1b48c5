import { describe, expect, it } from 'vitest';
import { CHUNK_MAX, chunkMarkdown } from '../../src/search/chunk.js';

describe('markdown chunking', () => {
  it('keeps the heading path with each chunk and starts a new chunk at each heading', () => {
    const md = ['# Guide', 'intro text', '', '## Install', 'run npm ci', '', '### On Debian', 'apt-get install x', '', '## Use', 'call it'].join('\n');
    const chunks = chunkMarkdown(md);
    expect(chunks.map((c) => [c.headings, c.text])).toEqual([
      [['Guide'], 'intro text'],
      [['Guide', 'Install'], 'run npm ci'],
      [['Guide', 'Install', 'On Debian'], 'apt-get install x'],
      [['Guide', 'Use'], 'call it'],
    ]);
    expect(chunks[2]).toMatchObject({ startLine: 8, endLine: 8 });
  });

  it('never treats # inside a code fence as a heading, and keeps a fence whole even past the chunk size', () => {
    const code = ['```bash', '# not a heading', ...Array.from({ length: 60 }, (_, i) => `echo line ${i} with some padding text`), '```'].join('\n');
    expect(code.length).toBeGreaterThan(CHUNK_MAX);
    const chunks = chunkMarkdown(['## Script', 'before', '', code, '', 'after'].join('\n'));
    const fence = chunks.find((c) => c.text.startsWith('```bash'))!;
    expect(fence.text).toBe(code);
    expect(fence.headings).toEqual(['Script']);
    expect(chunks.every((c) => !c.headings.includes('not a heading'))).toBe(true);
  });

  it('packs short paragraphs together and splits a long one at sentence ends, within the maximum', () => {
    const sentence = 'This sentence is about retry policies and backoff. ';
    const long = sentence.repeat(80); // ~4000 characters, one paragraph
    const chunks = chunkMarkdown(['# A', 'one', '', 'two', '', long].join('\n'));
    expect(chunks[0]!.text.startsWith('one\n\ntwo')).toBe(true);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(CHUNK_MAX);
    for (const c of chunks.slice(1)) expect(c.text.endsWith('.')).toBe(true);
    expect(chunks.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toContain(sentence.trim());
  });

  it('splits long Korean text without breaking it apart mid-sentence when it can', () => {
    const ko = '플로우 시스템은 작업을 계획과 태스크로 나눈다. '.repeat(120);
    const chunks = chunkMarkdown(`# 설계\n${ko}`);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.headings[0] === '설계' && c.text.length <= CHUNK_MAX)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.text.endsWith('다.'))).toBe(true);
  });

  it('an unclosed fence runs to the end instead of swallowing nothing', () => {
    const chunks = chunkMarkdown('text\n\n```js\nconst a = 1;\n# still code');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ headings: [], text: 'text\n\n```js\nconst a = 1;\n# still code', endLine: 5 });
  });
});
