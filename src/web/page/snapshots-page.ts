// The snapshot timeline of a flow: every snapshot newest first; compare any two points, or one with
// now; preview what a restore would remove, change and bring back before confirming it; and undo a
// restore (it is itself a restore, to the "before restore" snapshot the restore took).
import { get, Refused, send } from './api.js';
import { clear, h } from './dom.js';

interface Snapshot {
  id: string;
  scope: 'flow' | 'workspace';
  label: string;
  reason: string;
  pinned: boolean;
  counts: Record<string, number>;
  created_at: string;
}
interface Effect {
  removed: number;
  changed: number;
  added: number;
}
interface Changes {
  tasks: Effect;
  plans: Effect;
  flows: Effect;
  documents: Effect;
  context_entries: Effect;
  summary: string;
}

export interface SnapshotHooks {
  /** After a restore or undo: the board's data changed wholesale. */
  onRestored(): void;
  onRefused(e: unknown): void;
}

function when(at: string): string {
  return at.replace('T', ' ').slice(0, 19);
}

function effects(c: Changes): HTMLElement {
  const rows = (['tasks', 'plans', 'documents', 'context_entries', 'flows'] as const).filter((k) => c[k].removed + c[k].changed + c[k].added > 0);
  return h(
    'table',
    { class: 'effects' },
    h('caption', {}, c.summary),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'kind'), h('th', { scope: 'col' }, 'thrown away'), h('th', { scope: 'col' }, 'changed back'), h('th', { scope: 'col' }, 'brought back'))),
    h('tbody', {}, ...rows.map((k) => h('tr', {}, h('th', { scope: 'row' }, k.replace('_', ' ')), h('td', {}, String(c[k].removed)), h('td', {}, String(c[k].changed)), h('td', {}, String(c[k].added))))),
  );
}

interface NamedList {
  thrown_away: { id: string; title: string }[];
  thrown_away_total: number;
  brought_back: { id: string; title: string }[];
  brought_back_total: number;
  changed_back?: { id: string; title: string; fields: { field: string; now: string; then: string }[] }[];
  changed_back_total?: number;
}
type Named = Partial<Record<'tasks' | 'plans' | 'documents' | 'context', NamedList>>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Which tasks, plans, documents and context entries a restore throws away, changes back (each field:
 * now → then) and brings back, by name (the first 20 of each, then "and N more").
 */
function namedEffects(named: Named | undefined): HTMLElement | null {
  if (!named) return null;
  const parts: HTMLElement[] = [];
  for (const [kind, one, many] of [['tasks', 'task', 'tasks'], ['plans', 'plan', 'plans'], ['documents', 'document', 'documents'], ['context', 'context entry', 'context entries']] as const) {
    const l = named[kind];
    if (!l) continue;
    const changed = l.changed_back ?? [];
    const changedTotal = l.changed_back_total ?? 0;
    if (changedTotal) {
      const more = changedTotal - changed.length;
      parts.push(
        h('h4', {}, `Changed back: ${plural(changedTotal, one, many)}`),
        h(
          'ul',
          { class: 'named', 'data-effect': `${kind}-changed` },
          ...changed.map((x) => h('li', {}, x.title || x.id, h('span', { class: 'none' }, ` ${x.id}`), `: ${x.fields.map((f) => `${f.field.replace(/_/g, ' ')} ${f.now} → ${f.then}`).join('; ')}`)),
          more > 0 ? h('li', { class: 'none' }, `and ${more} more`) : null,
        ),
      );
    }
    for (const [items, total, verb] of [[l.thrown_away, l.thrown_away_total, 'Thrown away'], [l.brought_back, l.brought_back_total, 'Brought back']] as const) {
      if (!total) continue;
      const more = total - items.length;
      parts.push(
        h('h4', {}, `${verb}: ${plural(total, one, many)}`),
        h('ul', { class: 'named', 'data-effect': `${kind}-${verb === 'Thrown away' ? 'thrown' : 'back'}` }, ...items.map((x) => h('li', {}, x.title || x.id, h('span', { class: 'none' }, ` ${x.id}`))), more > 0 ? h('li', { class: 'none' }, `and ${more} more`) : null),
      );
    }
  }
  return parts.length ? h('div', { class: 'named-effects' }, ...parts) : null;
}

/** The snapshots view on screen: `refresh` reads the timeline again (after a restore, or a snapshot event). */
export interface SnapshotsPage {
  refresh(): Promise<void>;
  /**
   * The work changed (a change the stream reports, with its seq): a restore preview on screen read before
   * it no longer says what a restore would do. Without a seq (the stream lost its place), any preview.
   */
  changed(seq?: number): void;
}

export async function renderSnapshotsPage(root: HTMLElement, flow: string | null, hooks: SnapshotHooks): Promise<SnapshotsPage> {
  clear(root);
  root.append(h('p', {}, 'Loading…'));
  const list = async () => (await get<{ snapshots: Snapshot[] }>(`/api/snapshots${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`)).snapshots;
  let snapshots = await list();
  const out = h('div', { id: 'snapshot-result', 'aria-live': 'polite' });
  // A reason names other snapshots by id ("before restore of s-mqea"): said by their label where one exists.
  const heading = (s: Snapshot) =>
    s.label ||
    s.reason.replace(/\bs-[a-z0-9]+\b/g, (id) => {
      const label = snapshots.find((x) => x.id === id)?.label;
      return label ? `"${label}"` : id;
    });
  const pointName = (id: string) => (id === 'now' ? 'now' : ((x) => (x ? heading(x) : id))(snapshots.find((x) => x.id === id)));
  const option = (s: Snapshot) => h('option', { value: s.id }, `${when(s.created_at)} · ${heading(s)} (${s.id})`);
  const from = h('select', { id: 'diff-from' });
  const to = h('select', { id: 'diff-to' });
  const compare = h('form', { class: 'create', 'aria-label': 'Compare two points' }, h('label', { for: 'diff-from' }, 'Compare'), from, h('label', { for: 'diff-to' }, 'with'), to, h('button', { type: 'submit' }, 'Compare'));
  compare.addEventListener('submit', (e) => {
    e.preventDefault();
    void get<{ text: string }>(`/api/snapshots/diff?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`)
      .then((d) => {
        clear(out);
        out.append(h('h3', {}, `Differences: ${pointName(from.value)} → ${pointName(to.value)}`), h('pre', { class: 'diff' }, d.text));
      })
      .catch(hooks.onRefused);
  });
  const empty = h(
    'p',
    { class: 'none', id: 'snapshots-empty' },
    'No snapshots of this flow yet. One is taken before every delete and restore; to take one now, run ',
    h('code', {}, `flowmcp snapshot create --flow-id ${flow ?? '<flow id>'}`),
    ' (or ',
    h('code', {}, 'flowmcp snapshot create'),
    ' for the whole project; both are listed here).',
  );
  const timeline = h('ol', { class: 'timeline' });

  /** Draws the list and the compare menus from `snapshots`, keeping what the person chose in the menus. */
  const draw = () => {
    const was = { from: from.value, to: to.value };
    from.replaceChildren(...snapshots.map(option));
    to.replaceChildren(h('option', { value: 'now' }, 'now'), ...snapshots.map(option));
    if (snapshots.some((s) => s.id === was.from)) from.value = was.from;
    if (was.to && (was.to === 'now' || snapshots.some((s) => s.id === was.to))) to.value = was.to;
    compare.hidden = snapshots.length === 0;
    empty.hidden = snapshots.length > 0;
    const focused = document.activeElement instanceof HTMLElement && timeline.contains(document.activeElement) ? document.activeElement.dataset.snapshot : undefined;
    timeline.replaceChildren(
      ...snapshots.map((s) => {
        const b = h('button', { type: 'button', 'data-snapshot': s.id }, 'Restore…');
        b.addEventListener('click', () => void preview(s.id, `Restore ${s.scope === 'workspace' ? 'the whole project' : 'this flow'} to ${heading(s)}`).catch(hooks.onRefused));
        const counts = Object.entries(s.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => (n === 1 ? `1 ${k.replace(/ies$/, 'y').replace(/s$/, '')}` : `${n} ${k}`))
          .join(', ');
        // A whole-project snapshot holds this flow too, and restoring it sets every flow back: said on its row.
        const whole = s.scope === 'workspace' ? h('span', { class: 'scope' }, ' (whole project: every flow)') : '';
        return h('li', { 'data-snapshot-row': s.id }, h('time', { datetime: s.created_at }, when(s.created_at)), ' ', h('strong', {}, heading(s)), whole, s.pinned ? ' (pinned)' : '', h('span', { class: 'none' }, ` ${s.id} · ${counts} `), b);
      }),
    );
    if (focused) (timeline.querySelector(`[data-snapshot="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  };
  const refresh = async () => {
    if (!root.isConnected || root.hidden) return;
    snapshots = await list();
    draw();
  };

  /** The preview on screen and what a restore from it needs: the state it was made from, and its buttons. */
  let shown: { id: string; what: string; previewed: string; seq: number; go: HTMLButtonElement; stale: HTMLElement } | undefined;
  /** Says the preview is out of date and offers a new one; Restore stays refused until then (the server refuses it too). */
  const outdated = (words: string) => {
    if (!shown) return;
    const { id, what, go, stale } = shown;
    go.disabled = true;
    const again = h('button', { type: 'button', id: 'preview-again' }, 'Preview again');
    again.addEventListener('click', () => void preview(id, what).catch(hooks.onRefused));
    stale.replaceChildren(words, ' ', again);
    stale.hidden = false;
  };
  const restore = async (id: string, what: string, previewed: string) => {
    let r: { undo_snapshot: string; changes: Changes };
    try {
      r = await send<{ undo_snapshot: string; changes: Changes }>('POST', '/api/snapshots/restore', { id, confirm: true, previewed });
    } catch (e) {
      if (e instanceof Refused && e.status === 409 && e.error.code === 'conflict') return outdated(e.error.message);
      if (shown) shown.go.disabled = false;
      throw e;
    }
    shown = undefined;
    hooks.onRestored();
    clear(out);
    const undo = h('button', { type: 'button', id: 'undo-restore' }, 'Undo this restore');
    undo.addEventListener('click', () => void preview(r.undo_snapshot, 'Undo the restore').catch(hooks.onRefused));
    out.append(h('h3', { tabindex: '-1', id: 'restore-title' }, `${what}: done`), effects(r.changes), h('p', {}, `A snapshot of what was there before was taken first (${r.undo_snapshot}). `, undo));
    // The button pressed is gone: focus goes to what happened, not to the body.
    (out.querySelector('#restore-title') as HTMLElement).focus();
    // The restore took a snapshot (the undo point): the timeline shows it.
    await refresh();
  };
  const preview = async (id: string, what: string) => {
    const p = await get<{ message: string; changes: Changes; named?: Named; previewed: string; seq: number }>(`/api/snapshots/preview?id=${encodeURIComponent(id)}`);
    clear(out);
    const go = h('button', { type: 'button', id: 'confirm-restore' }, what === 'Undo the restore' ? 'Undo it' : 'Restore') as HTMLButtonElement;
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const stale = h('p', { id: 'preview-stale', class: 'alert', role: 'alert', hidden: true });
    // One restore per preview: a second click (or a double-click) while the first runs does nothing,
    // and after it the preview is gone.
    go.addEventListener('click', () => {
      if (go.disabled) return;
      go.disabled = true;
      void restore(id, what, p.previewed).catch(hooks.onRefused);
    });
    cancel.addEventListener('click', () => {
      shown = undefined;
      clear(out);
      (root.querySelector('h2') as HTMLElement | null)?.focus();
    });
    shown = { id, what, previewed: p.previewed, seq: p.seq, go, stale };
    out.append(h('h3', { tabindex: '-1', id: 'preview-title' }, `${what}: preview`), h('p', {}, p.message), effects(p.changes), ...[namedEffects(p.named)].filter((x): x is HTMLElement => x !== null), stale, h('p', {}, go, ' ', cancel));
    (out.querySelector('#preview-title') as HTMLElement).focus();
  };

  draw();
  clear(root);
  root.append(h('h2', { tabindex: '-1' }, 'Snapshots'), empty, compare, out, timeline);
  return {
    refresh,
    changed: (seq) => {
      // A change the preview already saw (a restore's own events arriving after its undo was previewed) is none.
      if (shown && !shown.go.disabled && (seq === undefined || seq > shown.seq)) outdated('The work changed since this preview, so it may no longer say what a restore would throw away.');
    },
  };
}
