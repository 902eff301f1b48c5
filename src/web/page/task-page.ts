// One task: its description (safe markdown), its dependencies both ways as a small graph (what it waits
// for → the task → what waits for it), its claim, its history from the event log, and an edit form that
// sends the revision it was read at (a conflict is shown, never overwritten). Its dependencies, plan and
// claim are steered from here too (task-steer.ts).
import { get, Refused, send } from './api.js';
import { boardHref } from './address.js';
import { clear, h, hiddenMarks, visibleText } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { warningWords } from './notices.js';
import { readDraft, writeDraft, type Kept } from './drafts.js';
import { oneWrite } from './one-write.js';
import { statusControl } from './status-control.js';
import { unreadable } from './unreadable.js';
import { claimControl, dependencyPicker, tickClaimControl, planMover, waitsFor, type FlowParts, type SteerHooks } from './task-steer.js';
import { claimLive, leaseLeft, PRIORITIES, STATUS_LABEL, type Ref, type Status, type Task, type TaskDetail } from './types.js';

/** The task on screen: which revision it shows, whether its form has unsaved edits, how to draw it again. */
export interface ShownTask {
  id: string;
  revision: number;
  /** The task as the page shows it (what the person's edits started from). */
  task: Task;
  dirty(): boolean;
  /** The fields the person changed and has not saved (field → the text in the form). */
  edits(): Kept;
  redraw(): Promise<void>;
  /** The task was deleted (by `by`, when the stream said): the page says so, and saves and steers nothing more. */
  gone(by?: string): void;
}

let shown: ShownTask | undefined;
/** The newest drawing of the task view: one started earlier that finishes later draws nothing (it would put an older page over it). */
let drawing = 0;

/** The task page on screen, if the task view is open. */
export function shownTask(): ShownTask | undefined {
  return shown && document.getElementById('task-title')?.isConnected && !document.getElementById('task-view')?.hidden ? shown : undefined;
}

export interface TaskPageHooks {
  /** A save went through (or, with `words`, there was nothing to send): stale notices go, and it says so. */
  onSaved(t: Task, words?: string): void;
  /** `before`: the task as the page showed it (a conflict names the fields that changed since). */
  onRefused(e: unknown, id: string, before: Task): void;
  /** The flow's plans and tasks, to choose a dependency or a plan from. */
  flowParts(flowId: string): Promise<FlowParts>;
  /** A dependency, plan or claim changed from the page: the board learns the task's row, and `words` are said. */
  onSteered(t: Task, words: string): void;
  /** A dependency, plan or claim change refused (or with nothing to do): said in `words`, else as the server put it. */
  onSteerRefused(e: unknown, words: string | undefined): void;
}


const isConflict = (e: unknown) => e instanceof Refused && e.status === 409 && e.error.code === 'conflict';


function refList(label: string, refs: Ref[]): HTMLElement {
  return h(
    'div',
    { class: 'deps' },
    h('h3', {}, label),
    refs.length
      ? h('ul', {}, ...refs.map((r) => h('li', {}, h('a', { href: `#/task/${encodeURIComponent(r.id)}` }, r.title), ' ', h('span', { class: `badge status-${r.status}` }, STATUS_LABEL[r.status as Status] ?? r.status))))
      : h('p', { class: 'none' }, 'none'),
  );
}

function claimWords(agent: string, until: string): string {
  return agent && claimLive(until) ? ` · held by ${agent} (${leaseLeft(until)})` : '';
}

/** The open task page's claim drawn again against the clock (it counts down, and goes once the lease ran out). */
export function refreshTaskClaim(): void {
  const el = document.getElementById('task-claim');
  if (el?.isConnected) el.textContent = visibleText(claimWords(el.dataset.agent ?? '', el.dataset.until ?? ''));
  tickClaimControl();
}

/**
 * A form field shows its text raw (the person edits the characters themselves), so a direction override
 * reorders what they see: a note beside it names such characters, kept up to date as they type.
 */
function marksNote(id: string, what: string, field: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  const note = h('p', { class: 'kept', id, role: 'status' });
  const update = () => {
    const marks = hiddenMarks(field.value);
    note.hidden = marks.length === 0;
    note.textContent = marks.length ? `This ${what} contains invisible or direction-changing characters, so the field may not show it as stored: ${marks.join(' ')}.` : '';
    if (marks.length) field.setAttribute('aria-describedby', id);
    else field.removeAttribute('aria-describedby');
  };
  field.addEventListener('input', update);
  queueMicrotask(update);
  return note;
}

/**
 * Draws the task page. `kept`: the person's edits to keep in the form over the version read. Given as a
 * function, the page is drawn again in place: the page on screen stays (never "Loading…") while the task
 * is read, and the edits are asked for only once it has been, so what was typed meanwhile is kept too, with
 * the focus and the caret where they were. `stoodOn`: what the old form's fields stood on, so a kept edit of
 * a field someone else changed meanwhile is named as such (the text was typed over their earlier version).
 */
export async function renderTaskPage(root: HTMLElement, id: string, hooks: TaskPageHooks, kept?: Kept | (() => Kept), stoodOn?: () => Kept): Promise<void> {
  const inPlace = typeof kept === 'function';
  const mine = ++drawing;
  const stale = () => mine !== drawing;
  if (!inPlace) {
    clear(root);
    root.append(h('p', {}, 'Loading…'));
  }
  let d: TaskDetail;
  try {
    d = await get<TaskDetail>(`/api/task?id=${encodeURIComponent(id)}`);
  } catch (e) {
    if (stale()) return;
    // Drawn in place, the page on screen (and the person's text in it) stays: a task deleted meanwhile is
    // said so over it, anything else is for the caller to say.
    if (inPlace && shown?.id === id && root.contains(document.getElementById('task-title'))) {
      if (e instanceof Refused && e.error.code === 'not_found') return shown.gone();
      throw e;
    }
    if (e instanceof Refused && e.error.code === 'not_found') return unreadable(root, e, `No task ${id}`, `No task ${id}: it may have been deleted, or the link is mistyped.`);
    return unreadable(root, e, 'This task could not be read', e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`);
  }
  if (stale()) return;
  const t = d.task;
  // Without them the page still shows the task; the pickers say they could not be read.
  const parts = await hooks.flowParts(t.flow_id).catch(() => undefined);
  if (stale()) return;
  // From here to the page drawn nothing waits, so nothing typed after this is missed.
  // Kept edits of fields whose stored text is no longer what the person's typing started from.
  let overTheirs: string[] = [];
  if (typeof kept === 'function') {
    const was = stoodOn?.();
    kept = kept();
    if (was) overTheirs = (Object.keys(kept) as (keyof Kept)[]).filter((f) => was[f] !== (t[f] ?? ''));
    if (!Object.keys(kept).length) kept = undefined;
  }
  const caret = inPlace ? caretIn(root) : undefined;
  const description = h('div', { class: 'description' });
  if (t.description) description.append(renderMarkdown(t.description));
  else description.append(h('p', { class: 'none' }, 'No description.'));

  const titleInput = h('input', { id: 'edit-title', value: t.title, required: true, maxlength: '500' });
  const descInput = h('textarea', { id: 'edit-description', rows: '8' });
  descInput.value = t.description ?? '';
  const prio = h('select', { id: 'edit-priority' }, ...PRIORITIES.map((p) => h('option', { value: p, selected: p === t.priority }, p)));
  // What the form stands on: the version drawn; after a save from this page, that version with the saved
  // fields (text typed after the save is an edit of it; a field someone else changed meanwhile is not, so
  // the page drawn next shows theirs), the saved revision, and the task as the server answered it.
  let base: Kept = {};
  let revision = t.revision;
  let before: Task = { ...t, description: t.description ?? '' };
  // The fields the person changed from what the form stands on (what a save sends, and what a redraw keeps).
  const standsOn = (): Kept => ({ title: base.title ?? t.title, description: base.description ?? t.description ?? '', priority: base.priority ?? t.priority });
  const edited = (): Kept => {
    const on = standsOn();
    const out: Kept = {};
    if (titleInput.value !== on.title) out.title = titleInput.value;
    if (descInput.value !== on.description) out.description = descInput.value;
    if (prio.value !== on.priority) out.priority = prio.value;
    return out;
  };
  /** Draws this task again in place, keeping the form's edits (see renderTaskPage). */
  const again = () => renderTaskPage(root, t.id, hooks, edited, standsOn);
  // A refused save (someone else changed the task meanwhile): the page is drawn again at the version
  // stored now, and the person's edited fields stay in the form over it, told apart, for them to save
  // over it or not.
  const refused = (err: unknown) => {
    if (!isConflict(err)) return hooks.onRefused(err, t.id, before);
    const shownBefore = before;
    return again().then(
      () => hooks.onRefused(err, t.id, shownBefore),
      (e: unknown) => hooks.onRefused(e, t.id, shownBefore), // the task could not be read again: that is said instead
    );
  };
  // A save refused because someone else changed the task: when they changed none of the fields the
  // person edited (say, the priority while the title was edited here), the edit is saved on top of their
  // version at once (one retry, with their revision), and the page says it merged. Else it is refused.
  const save = (fields: Kept) =>
    send<{ task: Task }>('PATCH', '/api/task', { id: t.id, ...fields, expected_revision: revision }).catch(async (err: unknown) => {
      const current = isConflict(err) ? ((err as Refused).error.details?.current as Task | undefined) : undefined;
      if (!current) throw err;
      const theirs = (['title', 'description', 'priority'] as const).filter((f) => (current[f] ?? '') !== (before[f] ?? ''));
      if (theirs.some((f) => f in fields) || current.id !== t.id) throw err;
      const r = await send<{ task: Task }>('PATCH', '/api/task', { id: t.id, ...fields, expected_revision: current.revision });
      return { ...r, merged: theirs.length ? theirs : ['other details'] };
    });
  const form = h(
    'form',
    { class: 'edit', 'aria-label': 'Edit task' },
    h('label', { for: 'edit-title' }, 'Title'),
    titleInput,
    marksNote('edit-title-marks', 'title', titleInput),
    h('label', { for: 'edit-description' }, 'Description (markdown)'),
    descInput,
    marksNote('edit-description-marks', 'description', descInput),
    h('label', { for: 'edit-priority' }, 'Priority'),
    prio,
    h('button', { type: 'submit', id: 'task-save' }, 'Save'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const fields = edited();
    if (!Object.keys(fields).length) return hooks.onSaved(t, 'Nothing to save: the form is as stored.');
    // The form stays on screen and usable while the save and the page's redraw are on their way.
    const button = form.querySelector('#task-save')!;
    oneWrite(() => {
      button.textContent = 'Saving…';
      return save(fields)
      .then((r: { task: Task; merged?: string[] }) => {
        // The form now stands on the saved version; what was typed since is this revision's draft.
        writeDraft(t.id, revision, {});
        base = { ...base, ...fields };
        revision = r.task.revision;
        before = { ...r.task, description: r.task.description ?? '' };
        writeDraft(t.id, revision, edited());
        // Our own change comes back on the event stream too: it is not news to this page.
        if (shown?.id === r.task.id) shown.revision = Math.max(shown.revision, r.task.revision);
        hooks.onSaved(
          r.task,
          r.merged
            ? `Saved "${r.task.title}" (revision ${r.task.revision}), merged: someone else changed ${r.merged.join(', ')} meanwhile; your ${Object.keys(fields).join(', ')} went on top of their version.`
            : undefined,
        );
        // Typed after the save was sent: kept over the version saved (the saved fields are no edit now).
        return again();
      })
      .catch(refused)
      .finally(() => {
        if (button.isConnected) button.textContent = 'Save';
      });
    });
  });

  // Edits typed before the session ended (kept in this browser) come back into the form, said so.
  const draft = kept ? undefined : readDraft(t.id, t.revision);
  if (draft) kept = draft;
  const keptNote = draft
    ? h('p', { class: 'kept', id: 'kept-note' }, `Your unsaved edits (${Object.keys(draft).join(', ')}) from before the session ended are back in the form below. Save to keep them.`)
    : kept && Object.keys(kept).length
    ? h(
        'p',
        { class: 'kept', id: 'kept-note' },
        `Your unsaved edits (${Object.keys(kept).join(', ')}) are kept in the form below, over the version stored now that the page above shows; the other fields are as stored now. `,
        overTheirs.length
          ? h('strong', {}, `Someone else changed ${overTheirs.join(', ')} meanwhile: the page above shows theirs, and your text in the form was typed over the earlier version, without their change. Save puts yours over theirs.`)
          : 'Save to put yours over it.',
      )
    : null;
  if (kept?.title !== undefined) titleInput.value = kept.title;
  if (kept?.description !== undefined) descInput.value = kept.description;
  if (kept?.priority !== undefined) prio.value = kept.priority;

  // The status writes only on an explicit choice (status-control.ts), never per arrow key.
  const statusSelect = statusControl({
    current: t.status,
    label: 'Status',
    attrs: { id: 'task-status' },
    commit: (status) =>
      oneWrite(() => send<{ task: Task; warnings?: string[] }>('POST', '/api/task/status', { id: t.id, status, expected_revision: revision })
        .then((r) => {
          if (shown?.id === r.task.id) shown.revision = Math.max(shown.revision, r.task.revision);
          hooks.onSaved(r.task, r.warnings?.length ? `Saved "${r.task.title}" (revision ${r.task.revision}).${warningWords(r.warnings)}` : undefined);
          return again().then(() => (document.getElementById('task-status') as HTMLElement | null)?.focus());
        })
        .catch(refused)),
  });
  // After a steering change (or its refusal) the page is drawn again as stored, the form's edits kept,
  // and focus goes back to the control used.
  const redrawFocusing = (focus: string) => again().then(() => document.getElementById(focus)?.focus());
  const steer: SteerHooks = {
    done: (task, words, focus) => {
      if (shown?.id === task.id) shown.revision = Math.max(shown.revision, task.revision);
      hooks.onSteered(task, words);
      return redrawFocusing(focus).catch(refused);
    },
    refused: (e, words, focus) => {
      hooks.onSteerRefused(e, words);
      return redrawFocusing(focus).catch(refused);
    },
  };
  form.addEventListener('input', () => writeDraft(t.id, revision, edited()));
  form.addEventListener('change', () => writeDraft(t.id, revision, edited()));
  shown = {
    id: t.id,
    revision: t.revision,
    get task() {
      return before;
    },
    dirty: () => Object.keys(edited()).length > 0,
    edits: edited,
    // Only while nothing is edited (board-feed.ts); what is typed during the read is kept.
    redraw: again,
    gone: (by) => {
      const said = root.querySelector<HTMLElement>('#task-gone');
      // Said once; but a redraw's read that found the task gone may say it before the stream says who
      // deleted it (under load its read lands after the delete): then the note is said again, naming them.
      if (said && (!by || said.dataset.by)) return;
      said?.remove();
      // Text fields stay readable and selectable (read-only, not disabled): the person's unsaved text is
      // there to copy. Every button and menu goes still.
      for (const el of root.querySelectorAll<HTMLElement>('button, select, input, textarea')) {
        if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.readOnly = true;
        else (el as HTMLButtonElement | HTMLSelectElement).disabled = true;
      }
      const mine = Object.keys(edited());
      const note = h(
        'p',
        { class: 'kept', id: 'task-gone', role: 'alert', 'data-by': by || undefined },
        `This task was deleted${by ? ` by ${by}` : ''}: it can no longer be saved or changed here. `,
        mine.length ? `Your unsaved edits (${mine.join(', ')}) are still in the form below, to copy. ` : '',
        h('a', { href: boardHref(), 'data-board-link': true }, 'Back to the board'),
        '.',
      );
      root.querySelector('#task-title')?.after(note);
    },
  };
  clear(root);
  root.append(
    h('p', {}, h('a', { href: boardHref(), 'data-board-link': true }, '← Board')),
    h('h2', { tabindex: '-1', id: 'task-title' }, t.title),
    h(
      'p',
      { class: 'meta' },
      statusSelect,
      ' ',
      h('span', { class: `prio prio-${t.priority}` }, t.priority),
      ' ',
      h('span', {}, `${t.id} · revision ${t.revision}`),
      h('span', { class: 'claim', id: 'task-claim', 'data-agent': t.claim?.active ? t.claim.agent : '', 'data-until': t.claim?.active ? t.claim.expires_at : '' }, claimWords(t.claim?.active ? t.claim.agent : '', t.claim?.expires_at ?? '')),
    ),
    h('section', { 'aria-labelledby': 'h-desc' }, h('h3', { id: 'h-desc' }, 'Description'), description),
    claimControl(t, steer),
    planMover(t, parts, steer),
    h('section', { class: 'graph', 'aria-label': 'Dependencies' }, waitsFor(t, d.depends_on, steer), h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→ this task →'), refList('Needed by', d.dependents)),
    dependencyPicker(t, d.depends_on, parts, steer),
    h(
      'section',
      { 'aria-labelledby': 'h-docs' },
      h('h3', { id: 'h-docs' }, 'Linked documents'),
      d.documents.length
        ? h('ul', { class: 'docs' }, ...d.documents.map((doc) => h('li', {}, h('a', { href: `#/doc/${encodeURIComponent(doc.id)}` }, doc.title || doc.path), h('span', { class: 'none' }, ` ${doc.path}`))))
        : h('p', { class: 'none' }, 'none'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-history' },
      h('h3', { id: 'h-history' }, 'History'),
      h('ol', { class: 'history' }, ...d.history.map((e) => h('li', {}, h('time', { datetime: e.at }, e.at.replace('T', ' ').slice(0, 19)), ` ${e.agent}: ${e.summary}`))),
      d.history_more
        ? h('p', { class: 'none', id: 'history-more' }, `Only the newest ${d.history.length} changes are shown; older ones are not. To see them all: flowmcp log --entity-id ${t.id} --limit 200 (newest first; when there are more, it names the --cursor for the next page).`)
        : null,
    ),
    h('section', { 'aria-labelledby': 'h-edit' }, h('h3', { id: 'h-edit' }, 'Edit'), keptNote, form),
  );
  caret?.();
  // Kept edits are this version's draft now (a session that ends next keeps them).
  if (kept && Object.keys(kept).length) writeDraft(t.id, t.revision, kept);
}

/**
 * Where the focus and the caret are in `root`, to put them back once it is drawn again (the same element
 * by id): a person typing while the page is redrawn goes on typing where they were.
 */
function caretIn(root: HTMLElement): (() => void) | undefined {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || !el.id || !root.contains(el)) return undefined;
  const text = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : undefined;
  const range = text ? ([text.selectionStart, text.selectionEnd, text.selectionDirection] as const) : undefined;
  return () => {
    const again = document.getElementById(el.id);
    if (!again || !root.contains(again)) return;
    again.focus({ preventScroll: true });
    if (range && (again instanceof HTMLInputElement || again instanceof HTMLTextAreaElement) && range[0] !== null && range[1] !== null)
      again.setSelectionRange(range[0], range[1], range[2] ?? undefined);
  };
}

/** One document, read through the document tool and rendered as safe markdown. */
/**
 * A document's page. Opened from a task (`from`: that task's address and title), its back link goes back
 * to the task (history back, so Back after it does not return here); else to the board.
 */
export async function renderDocumentPage(root: HTMLElement, path: string, from?: { hash: string; title: string }): Promise<void> {
  drawing++; // it shares the task view: a task page still being read must not be drawn over it
  clear(root);
  root.append(h('p', {}, 'Loading…'));
  let d: { document: { path: string; title: string; updated_at: string }; content: string; part?: { lines: [number, number]; total_lines: number } };
  try {
    d = await get<typeof d>(`/api/document?path=${encodeURIComponent(path)}`);
  } catch (e) {
    if (e instanceof Refused && e.error.code === 'not_found') return unreadable(root, e, `No document ${path}`, `No document ${path}: it may have been deleted or moved.`);
    return unreadable(root, e, 'This document could not be read', e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`);
  }
  clear(root);
  let back: HTMLElement = h('a', { href: boardHref(), 'data-board-link': true }, '← Board');
  if (from) {
    back = h('a', { href: from.hash, id: 'doc-back' }, `← ${from.title}`);
    back.addEventListener('click', (e) => {
      e.preventDefault();
      history.back();
    });
  }
  root.append(
    h('p', {}, back),
    h('h2', { tabindex: '-1', id: 'doc-title' }, d.document.title || d.document.path),
    h('p', { class: 'meta' }, `${d.document.path} · updated ${d.document.updated_at.replace('T', ' ').slice(0, 19)}`),
    h('div', { class: 'description' }, renderMarkdown(d.content)),
  );
  // A long file comes in parts (document read never answers a whole 100 KB file at once).
  if (d.part) root.append(h('p', { class: 'meta', id: 'doc-part' }, `Lines ${d.part.lines[0]}–${d.part.lines[1]} of ${d.part.total_lines}: open ${d.document.path} in your editor for the rest.`));
}
