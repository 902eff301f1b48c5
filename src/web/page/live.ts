// The page's event stream (GET /events from the seq its board was read at) and what its corner says.
// The stream being open says nothing of the session: without a token it is open to any local program,
// and after a server restart it reconnects by itself while the page's session is gone. So "Live" is
// said only once the session is known to be good (GET /api/session); a 401 there means signed out.
import { Refused, startSession } from './api.js';

export interface StreamHooks {
  onChange(e: { entity: string; entity_id: string }): void;
  /** What the corner should say, for this stream (a newer one may have replaced it). */
  onState(text: string, es: EventSource): void;
  onSignedOut(): void;
}

export function openStream(seq: number, flow: string | null, hooks: StreamHooks): EventSource {
  const es = new EventSource(`/events?since=${seq}${flow ? `&flow=${encodeURIComponent(flow)}` : ''}`);
  const check = async (ok: string) => {
    try {
      await startSession();
      hooks.onState(ok, es);
    } catch (e) {
      if (e instanceof Refused && e.status === 401) hooks.onSignedOut();
      else hooks.onState('Not live: the server does not answer (reload the page)', es);
    }
  };
  es.addEventListener('change', (m) => hooks.onChange(JSON.parse((m as MessageEvent<string>).data) as { entity: string; entity_id: string }));
  es.addEventListener('open', () => void check('Live'));
  es.addEventListener('error', () => {
    // The browser retries by itself (resuming with Last-Event-ID); a refusal closes the stream for good.
    if (es.readyState === EventSource.CLOSED) void check('Not live: reload the page');
    else hooks.onState('Reconnecting…', es);
  });
  return es;
}
