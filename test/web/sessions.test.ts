// Sign-in bookkeeping on a hand-driven clock: a link is good once and only for LINK_TTL_MS; a session
// lasts SESSION_TTL_MS; each session has its own CSRF token.
import { expect, it } from 'vitest';
import { LINK_TTL_MS, SESSION_TTL_MS, WebSessions, sameSecret } from '../../src/web/sessions.js';

it('a link is redeemed once, not after it expires; a session ends after its time', () => {
  let now = 1_000_000;
  const s = new WebSessions(() => now);
  const once = s.mintLink();
  const session = s.redeem(once)!;
  expect(session).toBeDefined();
  expect(s.redeem(once)).toBeUndefined();
  expect(s.find(session.id)).toBe(session);

  const late = s.mintLink();
  now += LINK_TTL_MS + 1;
  expect(s.redeem(late)).toBeUndefined();

  const other = s.redeem(s.mintLink())!;
  expect(other.csrf).not.toBe(session.csrf);
  now += SESSION_TTL_MS;
  expect(s.find(session.id)).toBeUndefined();
  expect(s.find(other.id)).toBe(other);
  expect(s.find(undefined)).toBeUndefined();
  expect(s.find('made-up')).toBeUndefined();
});

it('secrets compare in constant time and differ by length or content', () => {
  expect(sameSecret('abc', 'abc')).toBe(true);
  expect(sameSecret('abc', 'abd')).toBe(false);
  expect(sameSecret('abc', 'ab')).toBe(false);
});
