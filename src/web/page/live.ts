// The page's event stream (GET /events from the seq its board was read at) and what its corner says.
// One live connection for all the tabs of the page on one flow: a browser allows only 6 connections per
// origin over HTTP/1.1, and a stream held per tab left a 7th tab (and every request of the others)
// waiting for ever. So the tabs elect a leader with the Web Locks API (the lock is freed when its tab
// closes); the leader alone opens the EventSource and relays each change, and what its corner should say,
// to the other tabs over a BroadcastChannel. When the leader goes, the next tab in the lock's queue opens
// the stream from the last seq any tab saw (nothing missed, nothing twice).
// The stream being open says nothing of the session: without a token it is open to any local program,
// and after a server restart it reconnects by itself while the page's session is gone. So "Live" is
// said only once this tab's session is known to be good (GET /api/session); a 401 there means signed out.
import { Refused, startSession } from './api.js';

export interface StreamHooks {
  /** A change, with its seq in the event log (undefined for EVERYTHING: the stream cannot say which). */
  onChange(e: Change, seq?: number): void;
  /** What the corner should say, for this stream (a newer one may have replaced it). */
  onState(text: string, es: LiveStream): void;
  onSignedOut(): void;
}

/** The page's handle on the shared stream: close() lets it go (the leader's lock passes to another tab). */
export interface LiveStream {
  close(): void;
}

/** One event of the log as the stream sends it (who and what too: a task page says who deleted its task). */
export type Change = { entity: string; entity_id: string; action?: string; agent?: string };

/** How often an open stream's session is checked (so a server that stopped answering is said). */
const WATCH_MS = 10_000;

/** Said to onChange when the stream cannot say what changed: everything is to be read again. */
export const EVERYTHING: Change = { entity: '*', entity_id: '' };

type Msg =
  | { kind: 'change'; seq: number; data: Change }
  | { kind: 'reset'; seq: number }
  | { kind: 'state'; state: 'open' | 'retrying' | 'closed'; seq: number }
  | { kind: 'hello' };

export function openStream(seq: number, flow: string | null, hooks: StreamHooks): LiveStream {
  let closed = false;
  let last = seq;
  let leaderState: 'open' | 'retrying' | 'closed' | undefined;
  const url = () => `/events?since=${last}${flow ? `&flow=${encodeURIComponent(flow)}` : ''}`;
  let stop = () => {};
  let streamState: 'open' | 'retrying' | 'closed' | undefined;
  let checking = false;
  // A server that stops answering (frozen, its machine asleep) leaves the stream open and silent, and
  // the browser cannot tell that from a quiet project: while the stream is open, the session is checked
  // every WATCH_MS, and a check that gets no answer (15 s) says so until one does.
  const watch = setInterval(() => {
    if (streamState === 'open' && !checking) void check('Live');
  }, WATCH_MS);
  const handle: LiveStream = {
    close: () => {
      clearInterval(watch);
      stop();
    },
  };
  const check = async (ok: string) => {
    checking = true;
    try {
      await startSession();
      if (!closed) hooks.onState(ok, handle);
    } catch (e) {
      if (closed) return;
      if (e instanceof Refused && e.status === 401) hooks.onSignedOut();
      else hooks.onState(`Not live: the server does not answer (asked again every ${WATCH_MS / 1000} s; reload the page if it stays so)`, handle);
    } finally {
      checking = false;
    }
  };
  const onState = (s: 'open' | 'retrying' | 'closed') => {
    streamState = s;
    if (s === 'open') void check('Live');
    else if (s === 'retrying') hooks.onState('Reconnecting…', handle);
    else void check('Not live: reload the page');
  };
  const change = (n: number, data: Change) => {
    if (n <= last) return; // already seen (a relay of what this tab read with its board, or twice)
    last = n;
    hooks.onChange(data, n);
  };
  // The server's log starts over below where this page was (the database was recovered or replaced):
  // its changes carry seqs this page would take for already seen, so the page reads everything again
  // and goes on from the server's newest.
  const reset = (newest: number) => {
    last = newest;
    hooks.onChange(EVERYTHING);
  };

  // Without Web Locks or BroadcastChannel (a page not in a secure context): a stream of this tab's own.
  if (!('locks' in navigator) || typeof BroadcastChannel === 'undefined') {
    const es = connect(url, change, reset, onState);
    stop = () => {
      closed = true;
      es.close();
    };
    return handle;
  }

  const name = `flowmcp-events:${location.origin}:${flow ?? ''}`;
  const channel = new BroadcastChannel(name);
  let es: EventSource | undefined;
  let release: (() => void) | undefined;
  const abort = new AbortController();
  const post = (m: Msg) => channel.postMessage(m);
  channel.onmessage = (ev: MessageEvent<Msg>) => {
    const m = ev.data;
    if (m.kind === 'change') change(m.seq, m.data);
    else if (m.kind === 'reset') reset(m.seq);
    else if (m.kind === 'hello') {
      // A tab that just joined asks the leader where the stream is and how it is.
      if (es && leaderState) post({ kind: 'state', state: leaderState, seq: last });
    } else if (m.kind === 'state' && !es) {
      // A follower behind the leader (its board read before changes the leader already relayed) reads
      // everything again rather than miss them.
      if (m.seq > last) {
        last = m.seq;
        hooks.onChange(EVERYTHING);
      }
      onState(m.state);
    }
  };
  post({ kind: 'hello' });
  void navigator.locks
    .request(name, { signal: abort.signal }, () => {
      if (closed) return;
      // This tab leads now: the stream goes on from the last change any tab saw.
      es = connect(
        url,
        (n, d) => {
          post({ kind: 'change', seq: n, data: d });
          change(n, d);
        },
        (newest) => {
          post({ kind: 'reset', seq: newest });
          reset(newest);
        },
        (s) => {
          leaderState = s;
          post({ kind: 'state', state: s, seq: last });
          onState(s);
        },
      );
      return new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => undefined); // aborted: this tab closed its stream while waiting in line
  stop = () => {
    if (closed) return;
    closed = true;
    abort.abort();
    es?.close();
    release?.();
    channel.close();
  };
  return handle;
}

/** This tab's EventSource from the last seq seen, reporting each change with its seq, a reset, and the stream's state. */
function connect(url: () => string, onChange: (seq: number, data: Change) => void, onReset: (newest: number) => void, onState: (s: 'open' | 'retrying' | 'closed') => void): EventSource {
  const es = new EventSource(url());
  es.addEventListener('reset', (m) => {
    const newest = Number((JSON.parse((m as MessageEvent<string>).data) as { newest?: unknown }).newest);
    if (Number.isSafeInteger(newest) && newest >= 0) onReset(newest);
  });
  es.addEventListener('change', (m) => {
    const msg = m as MessageEvent<string>;
    onChange(Number(msg.lastEventId), JSON.parse(msg.data) as Change);
  });
  es.addEventListener('open', () => onState('open'));
  es.addEventListener('error', () => {
    // The browser retries by itself (resuming with Last-Event-ID); a refusal closes the stream for good.
    onState(es.readyState === EventSource.CLOSED ? 'closed' : 'retrying');
  });
  return es;
}
