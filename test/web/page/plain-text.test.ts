// Search snippets as plain text (plainSnippet): markdown's marks go, the words stay, whole or cut.
import { expect, it } from 'vitest';
import { plainSnippet } from '../../../src/web/page/plain-text.js';

it('strips headings, emphasis, code marks, links, images, quotes and list marks; keeps the words', () => {
  expect(plainSnippet('## Retry policy\nWe **retry** a `charge` after [30 minutes](https://x.example/a) _at most_.')).toBe('Retry policy We retry a charge after 30 minutes at most.');
  expect(plainSnippet('> quoted\n- item one\n1. item two\n![diagram](d.png) ~~old~~')).toBe('quoted item one item two diagram old');
  expect(plainSnippet('```ts\nconst a = b * c;\n```')).toBe('const a = b * c;');
  // Cut mid-link by the snippet window: the text of the link is kept, its target is not.
  expect(plainSnippet('see [the checklist](https://exa')).toBe('see the checklist');
  // Text that only looks like markup stays: a lone star, snake_case, a hash inside a line.
  expect(plainSnippet('a * b, retry_count, issue #12')).toBe('a * b, retry_count, issue #12');
  expect(plainSnippet('<b>not html</b>')).toBe('<b>not html</b>');
});

it('takes links whole when their text holds brackets or their address parentheses, and autolinks: no stray ")"', () => {
  expect(plainSnippet('see [click](https://en.example.org/wiki/Foo_(bar)) now')).toBe('see click now');
  expect(plainSnippet('[x](https://a.example/(b)/(c)).')).toBe('x.');
  expect(plainSnippet('[the [draft] notes](https://a.example/n) and ![a (b) c](i.png)')).toBe('the [draft] notes and a (b) c');
  expect(plainSnippet('[t](<https://a.example/x)y> "title (z)") done')).toBe('t done');
  expect(plainSnippet('[t](https://a.example/x "title (z)") done')).toBe('t done');
  expect(plainSnippet('mail <https://example.com/a_(b)> or <mailto:a@example.com>.')).toBe('mail https://example.com/a_(b) or mailto:a@example.com.');
  expect(plainSnippet('cut [link (one)](https://a.example/(b')).toBe('cut link (one)');
  expect(plainSnippet('a [bracket] alone, 1 < 2 > 0, [x]\\(y)')).toBe('a [bracket] alone, 1 < 2 > 0, [x]\\(y)');
});
