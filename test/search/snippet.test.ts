import { describe, expect, it } from 'vitest';
import { SNIPPET, snippet, snippetTerms } from '../../src/search/snippet.js';

// The snippet a search result shows: the chunk's text on one line, cut to about 240 characters where
// the query's words sit, at word boundaries, with an ellipsis on each side where text was left out.
const filler = (n: number, seed = 0) => {
  const vocab = ['lorem', 'ipsum', 'dolor', 'amet', 'tempor', 'labore', 'magna', 'aliqua', 'veniam', 'nostrud'];
  const out: string[] = [];
  for (let i = 0; out.join(' ').length < n; i++) out.push(vocab[(i * 7 + seed) % vocab.length]!);
  return out.join(' ');
};
const cutsBetweenWords = (s: string, body: string) => {
  const inner = s.replace(/^…/, '').replace(/…$/, '');
  const at = body.indexOf(inner);
  expect(at).toBeGreaterThanOrEqual(0);
  const wordChar = /[\p{L}\p{N}_]/u;
  if (at > 0) expect(wordChar.test(body[at - 1]!) && wordChar.test(body[at]!)).toBe(false);
  const end = at + inner.length;
  if (end < body.length) expect(wordChar.test(body[end - 1]!) && wordChar.test(body[end]!)).toBe(false);
};

describe('snippet', () => {
  it('shows a short chunk whole, on one line, whatever the query', () => {
    expect(snippet('  Deploy\n\n with   care.\t ', ['nothing'])).toBe('Deploy with care.');
    expect(snippet('y'.repeat(SNIPPET), ['zz'])).toBe('y'.repeat(SNIPPET));
  });

  it('shows where the query word is, with an ellipsis on each cut side, never cutting a word in two', () => {
    const body = `${filler(500)} the session cookie keeps a user signed in ${filler(500, 3)}`;
    const s = snippet(body, ['session']);
    expect(s).toContain('session cookie');
    expect(s.startsWith('…') && s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(SNIPPET + 2);
    cutsBetweenWords(s, body);
  });

  it('finds a word only where a word starts, not inside another word', () => {
    // "log" is inside "catalog" early on; the word itself comes later.
    const body = `catalog ${filler(400)} write the log file here ${filler(400, 5)}`;
    expect(snippet(body, ['log'])).toContain('the log file');
  });

  it('finds other forms of a word: "logged" shows "logging", "sessions" shows "session"', () => {
    const body = `${filler(400)} enable logging for requests ${filler(400, 2)}`;
    expect(snippet(body, ['logged'])).toContain('enable logging');
    const other = `${filler(400)} the session ends ${filler(400, 2)}`;
    expect(snippet(other, ['sessions'])).toContain('the session ends');
  });

  it('places the window where the most different query words sit together', () => {
    // "cookie" alone early; "cookie" with "secure" and "signed" later: the later place is shown.
    const body = `a cookie ${filler(600)} set a secure signed cookie for the session ${filler(600, 4)}`;
    const s = snippet(body, ['cookie', 'secure', 'signed']);
    expect(s).toContain('secure signed cookie');
  });

  it('shows the beginning when no query word is in the chunk (a match by meaning)', () => {
    const body = `Getting started: ${filler(600)}`;
    const s = snippet(body, ['absent']);
    expect(s.startsWith('Getting started:')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    cutsBetweenWords(s, body);
  });

  it('near the end, the window stays inside the text with no trailing ellipsis', () => {
    const body = `${filler(900)} final word here`;
    const s = snippet(body, ['final']);
    expect(s.endsWith('final word here')).toBe(true);
    expect(s.startsWith('…')).toBe(true);
  });

  it('a Korean word with a particle finds the word without it', () => {
    const body = `${filler(500)} 세션 쿠키는 서명됩니다 ${filler(500, 1)}`;
    expect(snippet(body, ['세션을'])).toContain('세션 쿠키는');
  });
});

describe('snippetTerms', () => {
  it('leaves out stop words and adds the translations it is given', () => {
    expect(snippetTerms('How do I keep users logged in?', ['session'])).toEqual(['keep', 'users', 'logged', 'session']);
    // An empty translation is no term: it would be found at every position of the text.
    expect(snippetTerms('cookie', [''])).toEqual(['cookie']);
  });
});
