// Korean words as the lexicon keys them: particles glued to foreign words are not words of their own,
// and a word is looked up by its prefixes, longest first.
import { describe, expect, it } from 'vitest';
import { hangulWords, hasHangul, prefixes } from '../../src/search/korean.js';
import { words } from '../../src/search/tokenize.js';

describe('Korean words', () => {
  it('cuts Korean from the English word it is glued to, for the vectors', () => {
    expect(words('Gunicorn으로 배포하려면 readFileSync를')).toEqual(['gunicorn', '으로', '배포하려면', 'read', 'file', 'sync', '를']);
    expect(words('값')).toEqual(['값']); // one syllable is a whole Korean word
    expect(words('a x')).toEqual([]); // one Latin letter is still not a word
  });

  it('drops particles glued to a foreign word, a number or a closing quote, and keeps glued nouns', () => {
    expect(hangulWords("Gunicorn으로 IP를 'x'를 php-fpm이랑 2개")).toEqual([]);
    expect(hangulWords('Flask애플리케이션을 배포')).toEqual(['애플리케이션을', '배포']);
    expect(hangulWords("'완료 화면'을 추가")).toEqual(['완료', '화면', '추가']);
  });

  it('a Hangul run glued to a foreign word is a particle up to three syllables, a word from four', () => {
    expect(hangulWords('API서버를 API데이터를')).toEqual(['데이터를']);
    expect(hangulWords('v2로 v2데이터베이스')).toEqual(['데이터베이스']);
    expect(hangulWords('plain English, no Korean')).toEqual([]);
    expect(hangulWords('')).toEqual([]);
  });

  it('knows Korean text when it sees one syllable of it, and nothing else', () => {
    expect(hasHangul('deploy 배포')).toBe(true);
    expect(hasHangul('값')).toBe(true);
    expect(hasHangul('deploy, ㄱ (a lone letter is no syllable), ｱ')).toBe(false);
  });

  it('gives every prefix of a word, longest first, up to a bound', () => {
    expect(prefixes('서버에서')).toEqual(['서버에서', '서버에', '서버', '서']);
    expect(prefixes('가나다라마바사아')).toEqual(['가나다라마바', '가나다라마', '가나다라', '가나다', '가나', '가']);
    expect(prefixes('값')).toEqual(['값']);
  });
});

describe('lexicon lookup by prefix', () => {
  it('takes the longest known prefix, and a single syllable only for a short word', async () => {
    const { Lexicon } = await import('../../src/search/lexicon.js');
    const lex = Lexicon.parse('배포\t9\tdeploy:0.9\n값\t9\tvalue:0.9\n이\t9\tname:0.6\n');
    expect(lex.lookup('배포하려면')[0]?.word).toBe('deploy');
    expect(lex.lookup('값을')[0]?.word).toBe('value');
    expect(lex.lookup('이동하려면')).toEqual([]); // "이" starts too many words to stand for one
  });
});
