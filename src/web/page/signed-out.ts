// The signed-out state: the session is gone (signed out here, the server restarted, the session ended).
// The views stop, the stream closes, and unsaved edits on an open task page are shown to copy.
import { clear, h } from './dom.js';
import { $, state, VIEWS } from './state.js';
import { allDrafts, forgetDrafts, type Kept } from './drafts.js';
import { shownTask } from './task-page.js';

export const GONE = 'This page is no longer signed in: the server restarted, or the session ended.';

export const SIGNED_OUT_HERE = 'You signed out of this page.';

/** The session is gone: say so and how to get back in; the event stream is closed and the views stop. */
export function signedOutView(why: string): void {
  if (state.signedOut) return;
  if (state.signingOut) why = SIGNED_OUT_HERE;
  state.signedOut = true;
  state.events?.close();
  // Unsaved edits on the open task page are shown here to copy (the form is hidden). When the session
  // ended by itself they are kept in this browser and come back into the form after signing in again;
  // an explicit sign-out forgets them (the next person on a shared browser must not read them), so every
  // edit this browser kept is shown here to copy first.
  const open = shownTask(); // read before the views are hidden
  const edits = open?.edits() ?? {};
  const here = why === SIGNED_OUT_HERE;
  const others = here ? allDrafts().filter((d) => d.id !== open?.id) : [];
  const kept = $('signed-out-edits');
  clear(kept);
  const fields = (e: Kept) => Object.entries(e).map(([field, text]) => h('label', {}, field, h('textarea', { readonly: true, rows: field === 'description' ? '6' : '1', 'data-field': field }, text)));
  if ((open && Object.keys(edits).length) || others.length) {
    kept.append(
      h(
        'p',
        { id: 'signed-out-kept' },
        here
          ? 'Your unsaved edits are not kept after signing out: this browser has forgotten them. Copy them now if you want them.'
          : 'They are kept in this browser and come back into the form after you sign in again; here they are to copy.',
      ),
    );
    if (open && Object.keys(edits).length) kept.append(h('h3', {}, `Your unsaved edits to "${open.task.title}"`), ...fields(edits));
    for (const d of others) kept.append(h('h3', {}, `Your unsaved edits to task ${d.id}`), ...fields(d.edits));
  }
  if (here) forgetDrafts();
  $('live').textContent = 'Signed out';
  for (const id of ['nav', 'flow-choice', 'sign-out', 'alert-box', 'notice', ...VIEWS]) $(id).hidden = true;
  $('signed-out-why').textContent = why;
  $('signed-out').hidden = false;
  $('signed-out-title').focus();
  document.body.dataset.signedOut = 'true';
}
