// The snapshot timeline of a flow: every snapshot newest first; compare any two points, or one with
// now; preview what a restore would remove, change and bring back before confirming it; and undo a
// restore (it is itself a restore, to the "before restore" snapshot the restore took).
import { get, send } from './api.js';
import { clear, h } from './dom.js';

interface Snapshot {
  id: string;
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

export async function renderSnapshotsPage(root: HTMLElement, flow: string | null, hooks: SnapshotHooks): Promise<void> {
  clear(root);
  root.append(h('p', {}, 'Loading…'));
  const { snapshots } = await get<{ snapshots: Snapshot[] }>(`/api/snapshots${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`);
  const out = h('div', { id: 'snapshot-result', 'aria-live': 'polite' });
  const option = (s: Snapshot) => h('option', { value: s.id }, `${when(s.created_at)} · ${s.label || s.reason} (${s.id})`);
  const from = h('select', { id: 'diff-from' }, ...snapshots.map(option));
  const to = h('select', { id: 'diff-to' }, h('option', { value: 'now' }, 'now'), ...snapshots.map(option));
  const compare = h('form', { class: 'create', 'aria-label': 'Compare two points' }, h('label', { for: 'diff-from' }, 'Compare'), from, h('label', { for: 'diff-to' }, 'with'), to, h('button', { type: 'submit' }, 'Compare'));
  compare.addEventListener('submit', (e) => {
    e.preventDefault();
    void get<{ text: string }>(`/api/snapshots/diff?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`)
      .then((d) => {
        clear(out);
        out.append(h('h3', {}, 'Differences'), h('pre', { class: 'diff' }, d.text));
      })
      .catch(hooks.onRefused);
  });

  const restore = async (id: string, what: string) => {
    const r = await send<{ undo_snapshot: string; changes: Changes }>('POST', '/api/snapshots/restore', { id, confirm: true });
    hooks.onRestored();
    clear(out);
    const undo = h('button', { type: 'button', id: 'undo-restore' }, 'Undo this restore');
    undo.addEventListener('click', () => void preview(r.undo_snapshot, 'Undo the restore').catch(hooks.onRefused));
    out.append(h('h3', {}, `${what}: done`), effects(r.changes), h('p', {}, `A snapshot of what was there before was taken first (${r.undo_snapshot}). `, undo));
  };
  const preview = async (id: string, what: string) => {
    const p = await get<{ message: string; changes: Changes }>(`/api/snapshots/preview?id=${encodeURIComponent(id)}`);
    clear(out);
    const go = h('button', { type: 'button', id: 'confirm-restore' }, what === 'Undo the restore' ? 'Undo it' : 'Restore');
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    go.addEventListener('click', () => void restore(id, what).catch(hooks.onRefused));
    cancel.addEventListener('click', () => clear(out));
    out.append(h('h3', { tabindex: '-1', id: 'preview-title' }, `${what}: preview`), h('p', {}, p.message), effects(p.changes), h('p', {}, go, ' ', cancel));
    (out.querySelector('#preview-title') as HTMLElement).focus();
  };

  clear(root);
  root.append(
    h('h2', { tabindex: '-1' }, 'Snapshots'),
    snapshots.length ? compare : h('p', { class: 'none' }, 'No snapshots of this flow yet (one is taken before every delete and restore; `flowmcp snapshot create` takes one).'),
    out,
    h(
      'ol',
      { class: 'timeline' },
      ...snapshots.map((s) => {
        const b = h('button', { type: 'button', 'data-snapshot': s.id }, 'Restore…');
        b.addEventListener('click', () => void preview(s.id, `Restore to ${s.label || s.id}`).catch(hooks.onRefused));
        const counts = Object.entries(s.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ');
        return h('li', {}, h('time', { datetime: s.created_at }, when(s.created_at)), ' ', h('strong', {}, s.label || s.reason), s.pinned ? ' (pinned)' : '', h('span', { class: 'none' }, ` ${s.id} · ${counts} `), b);
      }),
    ),
  );
}
