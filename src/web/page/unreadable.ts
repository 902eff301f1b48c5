// A view whose data could not be read (a task deleted or mistyped in the address, a briefing with no
// flow yet): its panel says what is wrong and what to do, with the way back to the board, in place of
// "Loading…" (which would otherwise stay for ever under a banner).
import { Refused } from './api.js';
import { boardHref } from './address.js';
import { clear, h } from './dom.js';

/**
 * A view that could not be read says so in its own panel (never "Loading…" after an answer), with the way
 * back to the board. A session gone is the page's to say (signed out): that is thrown on.
 */
export function unreadable(root: HTMLElement, e: unknown, heading: string, words: string): void {
  if (e instanceof Refused && e.status === 401) throw e;
  clear(root);
  root.append(
    h('p', {}, h('a', { href: boardHref(), 'data-board-link': true }, '← Board')),
    h('h2', { tabindex: '-1', id: 'view-problem' }, heading),
    h('p', {}, words, ' ', h('a', { href: boardHref(), 'data-board-link': true }, 'Back to the board'), '.'),
  );
}
