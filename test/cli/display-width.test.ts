// The width a table gives a cell is the one a terminal shows: the printable-ASCII shortcut in
// displayWidth never disagrees with string-width, for any text (controls, escapes, Korean, emoji).
import fc from 'fast-check';
import stringWidth from 'string-width';
import { expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/render.js';

it('displayWidth equals string-width for any text', () => {
  const pieces = fc.constantFrom('a', 'Z', ' ', '~', '\t', '\n', '\x1b[31m', '\x7f', '한', '글', 'é', 'e\u0301', '👍', '👨‍👩‍👧', '全', '\u200b');
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.array(pieces).map((p) => p.join(''))), (s) => {
      expect(displayWidth(s)).toBe(stringWidth(s));
    }),
    { numRuns: 2000 },
  );
});
