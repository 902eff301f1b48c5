// The page's two banners: refusals (role=alert, with a Dismiss button) and news (role=status), and the
// words for the warnings a change was accepted with.
import { visibleText } from './dom.js';
import { $, state } from './state.js';

/** Says something to the person: a banner (role=alert for refusals, status for news). */
export function say(text: string, kind: 'error' | 'info' = 'info'): void {
  if (state.signedOut) return;
  // A refusal makes earlier news stale ("Saved …" beside "Not changed …" would say both).
  if (kind === 'error') $('notice').hidden = true;
  $(kind === 'error' ? 'alert' : 'notice').textContent = visibleText(text);
  $(kind === 'error' ? 'alert-box' : 'notice').hidden = false;
}

export function hideAlert(): void {
  $('alert-box').hidden = true;
  $('alert').textContent = '';
}

/** Both banners gone: after a success (an old refusal is no longer true) and on navigation (news of another view). */
export function clearNotices(): void {
  hideAlert();
  $('notice').hidden = true;
  $('notice').textContent = '';
}

/**
 * The warnings a status change was accepted with (done while dependencies are unfinished; in progress
 * while another agent holds the claim), said with it; task ids the board knows read as their titles.
 */
export function warningWords(warnings: string[] | undefined): string {
  if (!warnings?.length) return '';
  const named = warnings.map((w) => w.replace(/\b[a-z]+-[a-z0-9]+\b/gi, (id) => (state.tasks.has(id) ? `"${state.tasks.get(id)!.title}"` : id)));
  return ` Warning: ${named.join(' ')}`;
}
