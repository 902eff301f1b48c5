// A task's status as a <select> that writes only on an explicit choice. A closed select moves its value
// on every arrow key (and fires "change" each time): a keyboard user looking through the statuses would
// write one status change per key. Here a key only moves the choice; Enter (or leaving the control)
// commits it, Escape puts the current status back. A pick with the mouse from the open list commits at once.
// One choice is written once: Enter, the "change" that may follow it and the blur when the page redraws
// all see the committed value as current (a second write would carry a stale revision: a false conflict).
import { h } from './dom.js';
import { STATUS_LABEL, STATUSES, type Status } from './types.js';

export interface StatusControlOptions {
  current: Status;
  label: string;
  attrs?: Record<string, string>;
  /** The choice to show instead of `current` (kept across a redraw of the card). */
  pending?: Status;
  /** Told of every uncommitted move (and undefined when it is committed or put back). */
  onPending?: (s: Status | undefined) => void;
  commit: (s: Status) => void;
  /** Escape: where focus goes back to (the card's link). */
  onEscape?: () => void;
}

/**
 * Set while a column draws its cards again: the browser blurs a focused menu as it is taken out of the
 * page, and that blur is no choice of the person's (a live redraw committed a status they were only
 * looking at with the arrow keys). The new card's menu keeps the uncommitted choice and the focus.
 */
export const redrawing = { now: false };

export function statusControl(o: StatusControlOptions): HTMLSelectElement {
  const select = h('select', { 'aria-label': o.label, ...(o.attrs ?? {}) }, ...STATUSES.map((s) => h('option', { value: s, selected: s === (o.pending ?? o.current) }, STATUS_LABEL[s])));
  let byKey = false;
  let current = o.current;
  const commit = () => {
    o.onPending?.(undefined);
    if (select.value === current) return;
    current = select.value as Status;
    o.commit(current);
  };
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      byKey = false;
      commit();
    } else if (e.key === 'Escape') {
      byKey = false;
      select.value = current;
      o.onPending?.(undefined);
      o.onEscape?.();
    } else if (e.altKey || e.key === ' ' || e.key === 'F4') {
      // Opens the list: a choice made in it (Enter or a click there) arrives as one "change" and commits.
      byKey = false;
    } else if (e.key !== 'Tab' && e.key !== 'Shift') byKey = true;
  });
  select.addEventListener('pointerdown', () => (byKey = false));
  select.addEventListener('change', () => {
    if (byKey) {
      // Moved by a key: not a choice yet.
      byKey = false;
      o.onPending?.(select.value === current ? undefined : (select.value as Status));
      return;
    }
    commit();
  });
  select.addEventListener('blur', () => {
    if (!redrawing.now && select.isConnected && select.value !== current) commit();
  });
  return select;
}
