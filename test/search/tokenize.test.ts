// The words the offline vectors see (tokenize.ts, shared by training and search): a question and a
// document must be cut the same way, or "readFileSync" in a question never meets "read file sync" in
// the docs. Exact outputs, since every rule here changes which vectors a text is made of.
import { describe, expect, it } from 'vitest';
import { words } from '../../src/search/tokenize.js';

describe('words (the offline vectors\' tokenizer)', () => {
  it('splits identifiers at camelCase, acronym and snake_case boundaries, lower-cased', () => {
    expect(words('readFileSync')).toEqual(['read', 'file', 'sync']);
    expect(words('parseHTTPResponse')).toEqual(['parse', 'http', 'response']);
    expect(words('max_upload_size')).toEqual(['max', 'upload', 'size']);
    expect(words('ProxyPass ProxyPassReverse')).toEqual(['proxy', 'pass', 'proxy', 'pass', 'reverse']);
  });

  it('leaves a short or all-lower-case run whole, and an all-capitals word one word', () => {
    expect(words('Go go GO')).toEqual(['go', 'go', 'go']);
    expect(words('HTTPS')).toEqual(['https']);
    expect(words('iOS')).toEqual(['os']); // split at the capital, and the one-letter "i" dropped: the same on both sides
  });

  it('drops one-letter words (but not one Korean syllable) and words over 40 characters', () => {
    expect(words('a b c is ok')).toEqual(['is', 'ok']);
    expect(words('값 a')).toEqual(['값']);
    expect(words(`${'x'.repeat(40)} ${'y'.repeat(41)} z9`)).toEqual(['x'.repeat(40), 'z9']);
  });

  it('drops numbers longer than four digits (ids and dates), keeps short ones and words with digits', () => {
    expect(words('port 8080 on 2026 id 123456 v12345')).toEqual(['port', '8080', 'on', '2026', 'id', 'v12345']);
  });

  it('cuts Korean away from the English word it is glued to', () => {
    expect(words('Gunicorn으로 배포')).toEqual(['gunicorn', '으로', '배포']);
    expect(words('로그를nginx에서')).toEqual(['로그를', 'nginx', '에서']);
  });
});
