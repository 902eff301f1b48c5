// Issue #16: quoted text is a title, verbatim, in any language, whatever words it holds. The tokenizer
// (quotedSpans, splitQuotedWords, splitFlags) here; the command table holds the readings.
import { describe, expect, it } from 'vitest';
import { quotedSpans, splitFlags, splitQuotedWords, splitWords } from '../../src/commands/words.js';

describe('quoted spans', () => {
  it('every quote style, verbatim inside', () => {
    for (const [text, inner] of [
      ['add "mark old tasks done" to SEO', 'mark old tasks done'],
      ["add 'mark old tasks done' to SEO", 'mark old tasks done'],
      ['add “undo the last restore” now', 'undo the last restore'],
      ['add ‘finish the plan’ now', 'finish the plan'],
      ['SEO 플랜에 「완료 화면 추가」 작업 추가', '완료 화면 추가'],
      ['SEO 플랜에 『다음 작업 시작』 작업 추가', '다음 작업 시작'],
      ["SEO 플랜에 '완료 화면 추가'를 추가", '완료 화면 추가'],
      ['add "  two  spaces. " x', '  two  spaces. '],
    ]) expect(quotedSpans(text!).map((s) => s.inner), text).toEqual([inner]);
  });

  it('apostrophes are not quotes; a quote never closed is a plain character', () => {
    expect(quotedSpans("I'm working on it, it's the users' list")).toEqual([]);
    expect(quotedSpans("add 'don't stop' now").map((s) => s.inner)).toEqual(["don't stop"]);
    expect(quotedSpans('add "say \'hi\' now"').map((s) => s.inner)).toEqual(["say 'hi' now"]);
    expect(quotedSpans('add "unclosed title')).toEqual([]);
    expect(quotedSpans('add "unclosed title', { unclosedToEnd: true }).map((s) => s.inner)).toEqual(['unclosed title']);
  });
});

describe('words', () => {
  it('a quoted word is marked, and is never a flag', () => {
    expect(splitQuotedWords('add task 「완료 화면 추가」 "a"b --plan SEO')).toEqual({
      words: ['add', 'task', '완료 화면 추가', 'ab', '--plan', 'SEO'],
      quoted: [false, false, true, false, false, false],
    });
    const w = splitQuotedWords('add task "--priority high" --plan "--x"');
    expect(splitFlags(w.words, new Set(), w.quoted)).toEqual({ positionals: ['add', 'task', '--priority high'], flags: { plan: '--x' }, quoted: [false, false, true] });
  });

  it('keeps the shell habits: empty quotes are a word, an unclosed quote runs to the end', () => {
    expect(splitWords('add task "" x')).toEqual(['add', 'task', '', 'x']);
    expect(splitWords('add task "Write tests')).toEqual(['add', 'task', 'Write tests']);
    expect(splitWords("add task don't panic")).toEqual(['add', 'task', "don't", 'panic']);
  });
});
