// Where titles stand whole in a text: items named alike are found once per place, as the first of them,
// however many there are (a hostile project of thousands of tasks titled alike).
import { describe, expect, it } from 'vitest';
import { titlesSaidIn } from '../../../src/core/kernel/titles-in-text.js';

describe('titlesSaidIn', () => {
  it('finds each place once, as the first item of that name, the longest title winning where titles overlap', () => {
    const items = [{ id: 'a', name: 'refund flow' }, { id: 'b', name: 'flow' }, ...Array.from({ length: 3000 }, (_, i) => ({ id: `x${i}`, name: 'ab' }))];
    const said = titlesSaidIn('ab, the refund flow and ab again; flow', items, (i) => i.name);
    expect(said.map((s) => [s.item.id, s.at, s.end])).toEqual([
      ['x0', 0, 2],
      ['a', 8, 19],
      ['x0', 24, 26],
      ['b', 34, 38],
    ]);
  });

  it('a word inside a longer word is no title', () => {
    expect(titlesSaidIn('abc ab', [{ name: 'ab' }], (i) => i.name).map((s) => s.at)).toEqual([4]);
  });
});
