// The signed-out state: the session is gone (signed out here, the server restarted, the session ended).
// The views stop, the stream closes, and unsaved edits on an open task page are shown to copy.
import { clear, h } from './dom.js';
import { $, state, VIEWS } from './state.js';
import { shownTask } from './task-page.js';

export const GONE = 'This page is no longer signed in: the server restarted, or the session ended.';

export const SIGNED_OUT_HERE = 'You signed out of this page.';

/** The session is gone: say so and how to get back in; the event stream is closed and the views stop. */
export function signedOutView(why: string): void {
  if (state.signedOut) return;
  if (state.signingOut) why = SIGNED_OUT_HERE;
  state.signedOut = true;
  state.events?.close();
  // Unsaved edits on the open task page are shown here to copy (the form is hidden), and kept in this
  // browser: they come back into the form after signing in again.
  const open = shownTask(); // read before the views are hidden
  const edits = open?.edits() ?? {};
  const kept = $('signed-out-edits');
  clear(kept);
  if (open && Object.keys(edits).length) {
    kept.append(
      h('h3', {}, `Your unsaved edits to "${open.task.title}"`),
      h('p', {}, 'They are kept in this browser and come back into the form after you sign in again; here they are to copy.'),
      ...Object.entries(edits).map(([field, text]) => h('label', {}, field, h('textarea', { readonly: true, rows: field === 'description' ? '6' : '1', 'data-field': field }, text))),
    );
  }
  $('live').textContent = 'Signed out';
  for (const id of ['nav', 'flow-choice', 'sign-out', 'alert-box', 'notice', ...VIEWS]) $(id).hidden = true;
  $('signed-out-why').textContent = why;
  $('signed-out').hidden = false;
  $('signed-out-title').focus();
  document.body.dataset.signedOut = 'true';
}
