// The board's address (address.ts): its filters round-trip through the hash; other views' hashes are not the board's.
import { expect, it } from 'vitest';
import { boardAddress, boardFilterOf, NO_FILTER } from '../../../src/web/page/address.js';

it('keeps the filters in the hash and reads them back; other views are not the board', () => {
  const f = { flow: 'f1', plan: 'p 2', status: 'todo', text: 'a&b=c' };
  expect(boardFilterOf(boardAddress(f))).toEqual(f);
  expect(boardAddress(NO_FILTER)).toBe('#/');
  for (const h of ['', '#', '#/']) expect(boardFilterOf(h)).toEqual(NO_FILTER);
  for (const h of ['#/task/t1', '#/search?q=x', '#/briefing', '#/snapshots']) expect(boardFilterOf(h)).toBeUndefined();
});
