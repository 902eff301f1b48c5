// One board column, virtualized: every task card has the same height and every plan heading another
// (smaller) one, so where each row goes is known without drawing it, and only the rows in view (plus a
// few) exist in the page, whatever the column holds: a column of 10,000 tasks is a few dozen elements.
// Rows are positioned with CSSOM (allowed under the page's CSP).
import { h } from './dom.js';
import { redrawing } from './status-control.js';
import type { TaskRow } from './types.js';

export const ROW_HEIGHT = 130;
/** A plan heading: one line of text, no empty band above it. */
export const PLAN_HEIGHT = 30;
const OVERSCAN = 6;

export type Row = { kind: 'plan'; id: string; title: string; count: number } | { kind: 'task'; task: TaskRow };

export class Column {
  readonly root: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly count: HTMLElement;
  private rows: Row[] = [];
  /** Where each row starts (and, last, the height of them all). */
  private tops: number[] = [0];
  private frame = 0;

  constructor(
    readonly status: string,
    label: string,
    private readonly card: (t: TaskRow) => HTMLElement,
  ) {
    const headingId = `col-${status}`;
    this.count = h('span', { class: 'count' });
    this.spacer = h('div', { class: 'spacer', role: 'list', 'aria-labelledby': headingId });
    this.scroller = h('div', { class: 'scroller', tabindex: '-1' }, this.spacer);
    this.root = h('section', { class: `column status-${status}`, 'aria-labelledby': headingId, 'data-status': status }, h('h2', { id: headingId }, label, ' ', this.count), this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule());
  }

  set(rows: Row[]): void {
    this.rows = rows;
    const tasks = rows.filter((r) => r.kind === 'task').length;
    this.count.textContent = `(${tasks})`;
    this.tops = [0];
    for (const r of rows) this.tops.push(this.tops[this.tops.length - 1]! + (r.kind === 'plan' ? PLAN_HEIGHT : ROW_HEIGHT));
    this.spacer.style.height = `${this.tops[rows.length]}px`;
    // An empty column is one line on a phone (app.css), not a tall empty box.
    this.root.classList.toggle('empty', rows.length === 0);
    this.render();
  }

  /** Scrolls a task into view (when a change moved it, or keyboard focus follows it). */
  reveal(id: string): void {
    const i = this.rows.findIndex((r) => r.kind === 'task' && r.task.id === id);
    if (i < 0) return;
    const top = this.tops[i]!;
    if (top < this.scroller.scrollTop || top + ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = Math.max(0, top - ROW_HEIGHT);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** The index of the row at a height in the column (binary search over the row tops). */
  private rowAt(y: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid + 1]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  render(): void {
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, this.rowAt(this.scroller.scrollTop) - OVERSCAN);
    const last = Math.min(this.rows.length, this.rowAt(this.scroller.scrollTop + height) + 1 + OVERSCAN);
    const focused = document.activeElement instanceof HTMLElement && this.spacer.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
    const out: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const r = this.rows[i]!;
      const el =
        r.kind === 'plan'
          ? h('div', { class: 'plan-row', role: 'listitem' }, h('span', { class: 'plan-title' }, r.title), h('span', { class: 'count' }, ` ${r.count}`))
          : this.card(r.task);
      el.style.top = `${this.tops[i]}px`;
      out.push(el);
    }
    redrawing.now = true;
    try {
      this.spacer.replaceChildren(...out);
    } finally {
      redrawing.now = false;
    }
    if (focused) (this.spacer.querySelector(`[data-id="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
  }
}
