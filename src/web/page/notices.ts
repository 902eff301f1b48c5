// The page's two banners: refusals (role=alert, with a Dismiss button) and news (role=status).
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
