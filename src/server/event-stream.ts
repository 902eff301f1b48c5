// GET /events: the event log as Server-Sent Events, under the same guard and token as /mcp. Each event
// is `id: <seq>`, `event: change`, `data: <the JSON payload of flowmcp events --json>`. A client resumes
// exactly where it stopped with the Last-Event-ID header (browsers send it on reconnect) or ?since=N;
// with neither, the stream starts at the end of the log (new changes only). ?flow=ID and ?entity=KIND
// filter. Comments every HEARTBEAT_MS keep proxies from closing a quiet stream.
//
// What one client may hold: its stream follows the log from its own position and reads the next page
// only once its socket has taken the last one, so a client that stops reading costs one page of memory
// however much is written meanwhile, and it delays nobody else; after STALL_MS without taking anything
// it is closed (it reconnects with Last-Event-ID and misses nothing). Streams are capped (503 past it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Workspace } from '../core/kernel/workspace.js';
import { newestSeq, type StreamEvent } from '../core/kernel/event-log.js';
import { followEvents, type Follower } from '../core/events/follow.js';
import { EventsFollow, Seq } from '../core/schemas/log.js';
import { clip } from '../model/error-text.js';
import { log } from '../log.js';
import { issueText } from '../core/schemas/issue-text.js';

export const DEFAULT_MAX_EVENT_STREAMS = 100;
export const HEARTBEAT_MS = 15_000;
/** A stream whose client has taken nothing for this long while events wait is closed. */
export const STALL_MS = 60_000;
/** How long a browser waits before reconnecting (the SSE `retry:` field). */
const RETRY_MS = 2_000;

export interface Refused {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

interface Stream {
  res: ServerResponse;
  follower?: Follower;
  /** Since when its socket has been full at heartbeat time (a client that stopped reading). */
  fullSince?: number;
  /** For a stream opened with a sign-in of a face (the web page's cookie): whether that sign-in is still good. */
  alive?: () => boolean;
}

function frame(e: StreamEvent): string {
  return `id: ${e.seq}\nevent: change\ndata: ${JSON.stringify(e)}\n\n`;
}

function problems(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.length ? String(i.path[0]) : 'query'} ${issueText(i)}`).join('; ');
}

export class EventStreams {
  private readonly streams = new Set<Stream>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly max = DEFAULT_MAX_EVENT_STREAMS,
    private readonly stallMs = STALL_MS,
  ) {}

  get count(): number {
    return this.streams.size;
  }

  /** Starts a stream, or says why not (the caller writes the refusal). */
  /**
   * `alive`: the stream was let in on a face's sign-in (not the token); it ends once that sign-in does
   * (sign-out: see recheck; expiry: checked at every heartbeat).
   */
  open(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, alive?: () => boolean): Refused | undefined {
    if (req.method !== 'GET') return { status: 405, message: 'GET /events for the event stream.', headers: { allow: 'GET' } };
    const pick = (k: string) => query.get(k) ?? undefined;
    const input = EventsFollow.safeParse({ since: pick('since'), flow: pick('flow'), entity: pick('entity') });
    if (!input.success) return { status: 400, message: `/events: ${clip(problems(input.error), 200)}. Write /events?since=N&flow=ID&entity=task.` };
    const header = req.headers['last-event-id'];
    let since = input.data.since;
    if (header !== undefined && header !== '') {
      const parsed = Seq.safeParse(header);
      if (!parsed.success) return { status: 400, message: `Last-Event-ID "${clip(String(header), 30)}" is not an event seq (a whole number): send the id of the last event received.` };
      since = parsed.data; // the client's own record of where it stopped wins over the URL it reconnects to
    }
    if (this.streams.size >= this.max) {
      return { status: 503, message: `${this.max} event streams are open (the most this server keeps): try again later.`, headers: { 'retry-after': '10' } };
    }
    const newest = newestSeq(this.ws.db);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: pass each event on at once
    });
    let start = since ?? newest;
    let head = `retry: ${RETRY_MS}\n: flowmcp events after seq ${start}\n\n`;
    if (start > newest) {
      // A position past the end of this log: the database was replaced (a recover from an unreadable one,
      // a copy). Said as its own event, and the stream goes on from the end of this log.
      head += `event: reset\ndata: ${JSON.stringify({ last_event_id: start, newest })}\n\n`;
      start = newest;
    }
    res.write(head);
    const stream: Stream = { res, alive };
    this.streams.add(stream);
    this.startHeartbeat();
    res.on('close', () => {
      stream.follower?.stop();
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopHeartbeat();
    });
    stream.follower = followEvents(
      this.ws,
      {
        since: start,
        filter: { flow_id: input.data.flow, entity: input.data.entity },
        onError: (e) => {
          log.error(`event stream: ${(e as Error).message}`);
          res.end();
        },
      },
      (page) => this.send(stream, page),
    );
    return undefined;
  }

  /** Writes a page; when the socket is full, waits until it drains (or closes the stream after stallMs). */
  private send(stream: Stream, page: StreamEvent[]): Promise<void> | void {
    const { res } = stream;
    if (res.destroyed) return;
    if (res.write(page.map(frame).join(''))) return;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        log.info(`event stream: a client took nothing for ${this.stallMs / 1000} s; closed (it resumes with Last-Event-ID)`);
        res.destroy();
        done();
      }, this.stallMs);
      timer.unref();
      res.once('drain', done);
      res.once('close', done);
    });
  }

  private startHeartbeat(): void {
    this.heartbeat ??= setInterval(() => {
      const now = Date.now();
      this.recheck();
      for (const s of this.streams) {
        if (s.res.destroyed) continue;
        if (!s.res.writableNeedDrain) {
          s.fullSince = undefined;
          s.res.write(': keep-alive\n\n');
        } else if ((s.fullSince ??= now) + this.stallMs <= now) {
          // Not reading even the heartbeats, with no events waiting: its slot goes to someone who reads.
          log.info(`event stream: a client took nothing for ${this.stallMs / 1000} s; closed (it resumes with Last-Event-ID)`);
          s.res.destroy();
        }
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Ends the streams whose sign-in has ended (a sign-out, an expired session): what they were let in on is gone. */
  recheck(): void {
    for (const s of [...this.streams]) {
      if (!s.alive || s.alive()) continue;
      log.debug('event stream: its web session ended; closed');
      s.follower?.stop();
      this.streams.delete(s);
      s.res.end();
    }
    if (this.streams.size === 0) this.stopHeartbeat();
  }

  /** Ends every stream (shutdown): clients see the stream end and reconnect later with Last-Event-ID. */
  closeAll(): void {
    for (const s of [...this.streams]) {
      s.follower?.stop();
      s.res.end();
    }
    this.streams.clear();
    this.stopHeartbeat();
  }
}
