import { describe, expect, it } from 'vitest';
import { CHUNK_MAX, chunkMarkdown } from '../../src/search/chunk.js';
import { documentTitle } from '../../src/search/prepare.js';
import { inWorker } from '../helpers/in-worker.js';

describe('markdown chunking', () => {
  it('a # heading loses its closing hashes and spaces, never a hash of its own words (C#)', () => {
    const md = ['## Setup ##  ', 'text', '', '### C#', 'more', '', '#### ##', 'none', '', '# Tabs\t\t#\t', 'last'].join('\n');
    expect(chunkMarkdown(md).map((c) => c.headings.at(-1))).toEqual(['Setup', 'C#', '', 'Tabs']);
  });

  it('a heading line with a long run of spaces inside is read in one pass (it took the process minutes)', async () => {
    // Hidden in a README: spaces, then an HTML comment that does not render. Cubic backtracking would not
    // finish in hours for such a line: it runs in a worker that is ended if it does not answer.
    const line = `# Install${' '.repeat(200_000)}<!-- x -->`;
    const md = `${line}\n\nSome text.\n\n${'## a'}${' '.repeat(100_000)}#x\n`;
    const chunks = await inWorker<ReturnType<typeof chunkMarkdown>>(new URL('../../src/search/chunk.ts', import.meta.url), 'chunkMarkdown', [md]);
    expect(chunks[0]!.headings).toEqual([`Install${' '.repeat(200_000)}<!-- x -->`]);
    expect(chunks.at(-1)!.headings.at(-1)).toBe(`a${' '.repeat(100_000)}#x`);
  });

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

  it('reads underlined (setext) headings as headings, as Markdown renders them: many READMEs are written so', () => {
    const md = ['PyYAML', '======', '', 'A YAML framework.', '', 'Installation', '------------', '', 'Run pip.', '', '## Testing', 'make test'].join('\n');
    expect(chunkMarkdown(md).map((c) => [c.headings, c.text, c.startLine])).toEqual([
      [['PyYAML'], 'A YAML framework.', 4],
      [['PyYAML', 'Installation'], 'Run pip.', 9],
      [['PyYAML', 'Testing'], 'make test', 12],
    ]);
    expect(documentTitle(md, 'README.md')).toBe('PyYAML');
    // A heading with nothing under it is still a section of its own.
    expect(chunkMarkdown('Release Guide\n====\n\nRolling back\n----\n').map((c) => [c.headings, c.text])).toEqual([
      [['Release Guide', 'Rolling back'], 'Rolling back'],
    ]);
  });

  it('keeps rules, lists, tables, long paragraphs and front matter out of headings', () => {
    const cases: [string, string[]][] = [
      ['Para one.\n\n---\n\nPara two.', ['Para one.', 'Para two.']], // a rule on its own
      ['- item one\n- item two\n---\nafter', ['- item one\n- item two', 'after']], // under a list it is a rule
      ['| a | b |\n| --- | --- |\n| 1 | 2 |', ['| a | b |\n| --- | --- |\n| 1 | 2 |']],
      ['line a\nline b\nline c\nline d\n---\nafter', ['line a\nline b\nline c\nline d', 'after']], // four lines: no heading
      ['---\ntitle: x\n---\n\nBody', ['title: x', 'Body']], // YAML front matter
      ['<div>\nhello\n</div>\n---\nafter', ['<div>\nhello\n</div>', 'after']], // HTML over a rule
      ['[foo]: http://x\n---\nafter', ['[foo]: http://x', 'after']], // a link reference
      ['Para\n\n    code line\n---\nafter', ['Para', '    code line', 'after']], // indented code
    ];
    for (const [md, texts] of cases) {
      const chunks = chunkMarkdown(md);
      expect(chunks.every((c) => c.headings.length === 0), md).toBe(true);
      expect(chunks.map((c) => c.text).join('\n\n'), md).toBe(texts.join('\n\n'));
      expect(documentTitle(md, 'x.md'), md).toBe('x.md');
    }
  });

  it('takes front matter as front matter only when it closes before a blank line, heading or fence', () => {
    // Never closed: the `---` far below is a rule, and the headings before it stay headings.
    const md = '---\ntitle: x\n\n# Real Title\n\nBody\n\n---\n\n## Section\ntext';
    expect(documentTitle(md, 'x.md')).toBe('Real Title');
    expect(chunkMarkdown(md).map((c) => c.headings)).toEqual([[], ['Real Title'], ['Real Title', 'Section']]);
  });

  it('takes a document\'s title from its first real heading, never from a # line in a code block', () => {
    expect(documentTitle('```sh\n# install deps\nnpm ci\n```\n\n# Real title\n\ntext', 'r.md')).toBe('Real title');
    expect(documentTitle('no headings here', 'notes/plain.md')).toBe('plain.md');
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

  it('a heading with nothing under it is a chunk of its own title; one with a subheading or text under it is not', () => {
    const chunks = chunkMarkdown('# Guide\n\nIntro.\n\n## Empty one\n\n## Install\n\nRun it.\n\n### Linux\n\nApt.\n\n# Parent\n### Deep child\ntext\n\n## Zygote heading only\n');
    expect(chunks.map((c) => [c.headings.join(' › '), c.text, c.startLine])).toEqual([
      ['Guide', 'Intro.', 3],
      ['Guide › Empty one', 'Empty one', 5],
      ['Guide › Install', 'Run it.', 9],
      ['Guide › Install › Linux', 'Apt.', 13],
      ['Parent › Deep child', 'text', 17],
      ['Parent › Zygote heading only', 'Zygote heading only', 19],
    ]);
  });

  it('an unclosed fence runs to the end instead of swallowing nothing', () => {
    const chunks = chunkMarkdown('text\n\n```js\nconst a = 1;\n# still code');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ headings: [], text: 'text\n\n```js\nconst a = 1;\n# still code', endLine: 5 });
  });
});

describe('chunkMarkdown: exact edges', () => {
  it('reads Windows and old-Mac line ends as line ends: no \\r in the text, lines counted right', () => {
    const [c] = chunkMarkdown('# T\r\n\r\nPara one.\r\nline two\rline three\r\n');
    expect(c).toEqual({ headings: ['T'], text: 'Para one.\nline two\nline three', startLine: 3, endLine: 5 });
  });

  it('closes a fence only with the same character, at least as long, alone on its line', () => {
    const src = '````js\na\n```\n~~~~\n```` not alone\n````\nafter';
    const chunks = chunkMarkdown(src, { target: 1 }); // target 1: nothing packed, each block its own chunk
    expect(chunks.map((c) => [c.text, c.startLine, c.endLine])).toEqual([
      ['````js\na\n```\n~~~~\n```` not alone\n````', 1, 6],
      ['after', 7, 7],
    ]);
  });

  it('packs paragraphs while the chunk is under the target, up to the maximum, and not past the target once reached', () => {
    const p = (ch: string, n: number) => ch.repeat(n);
    // 15 + 2 + 15 = 32 ≤ 40 (under the target 20, it may grow to the maximum); then 32 ≥ 20: no more.
    expect(chunkMarkdown(`${p('a', 15)}\n\n${p('b', 15)}\n\n${p('c', 15)}`, { target: 20, max: 40 }).map((c) => c.text)).toEqual([
      `${p('a', 15)}\n\n${p('b', 15)}`,
      p('c', 15),
    ]);
    // Exactly at the target, a chunk takes nothing more; one under it still does (19 + 2 + 19 = 40).
    expect(chunkMarkdown(`${p('a', 20)}\n\n${p('b', 1)}`, { target: 20, max: 40 })).toHaveLength(2);
    expect(chunkMarkdown(`${p('a', 19)}\n\n${p('b', 19)}`, { target: 20, max: 40 })).toHaveLength(1);
    expect(chunkMarkdown(`${p('a', 19)}\n\n${p('b', 20)}`, { target: 20, max: 40 })).toHaveLength(2);
  });

  it('splits an over-long paragraph at the last sentence end in the second half of the window, else a space, else hard', () => {
    const sentences = 'One two three four five six. Seven eight nine ten eleven twelve. End.';
    expect(chunkMarkdown(sentences, { target: 10, max: 40 }).map((c) => c.text)).toEqual(['One two three four five six.', 'Seven eight nine ten eleven twelve.', 'End.']);
    // A sentence end in the first half of the window is too early: the cut goes to the last space instead.
    expect(chunkMarkdown('Hi. alpha beta gamma delta epsilon zeta eta theta', { target: 10, max: 30 }).map((c) => c.text)).toEqual([
      'Hi. alpha beta gamma delta',
      'epsilon zeta eta theta',
    ]);
    // No space at all: cut at the maximum, every piece exactly that long but the last.
    expect(chunkMarkdown('x'.repeat(25), { target: 5, max: 10 }).map((c) => c.text)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    // A block exactly at the maximum is not split, spaces or not.
    expect(chunkMarkdown('y'.repeat(10), { target: 5, max: 10 }).map((c) => c.text)).toEqual(['y'.repeat(10)]);
    expect(chunkMarkdown('aaaa bbbbb', { target: 5, max: 10 }).map((c) => c.text)).toEqual(['aaaa bbbbb']);
    // A sentence end exactly at half the window still counts as one.
    expect(chunkMarkdown(`${'a'.repeat(10)}. bbbb ${'b'.repeat(20)}`, { target: 5, max: 20 }).map((c) => c.text)[0]).toBe(`${'a'.repeat(10)}.`);
    // With no sentence end, a line break in the window's second half comes before a space.
    expect(chunkMarkdown(`aaaaa aaaaa\n${'b'.repeat(25)}`, { target: 5, max: 20 }).map((c) => c.text)[0]).toBe('aaaaa aaaaa');
  });
});
