// resources/subscribe and resources/unsubscribe, and the notifications/resources/updated they ask for,
// whichever process made the change: one notifier per open workspace in this process, shared by all its
// sessions, follows the event log (core/events/follow.ts) and tells each session about the resources it
// subscribed to that an event touched (core/events/touched.ts says which). Each session keeps its own
// set of URIs; a closed session's set goes with it. Sending never waits: a notification is queued on
// the session's transport, so a slow client delays no one's answers.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Call, Workspace } from '../core/kernel/workspace.js';
import { newestSeq } from '../core/kernel/event-log.js';
import { followEvents, type Follower } from '../core/events/follow.js';
import { flowOfThing, thingKey, touchedBy, type ThingKind, type Touched } from '../core/events/touched.js';
import { clip } from '../model/error-text.js';
import { log } from '../log.js';
import { parseResourceUri } from './resources.js';
import { opened, RESOURCE_NOT_FOUND, rpcError } from './rpc-errors.js';

/** Most resources one session may subscribe to: each costs a set lookup per page of events. */
export const MAX_SUBSCRIPTIONS = 1_000;
/**
 * Most subscriptions in this process, all sessions together: a page of events costs one set lookup per
 * subscription (measured before this bound and the sets: 20 sessions × 1,000 stalled the server 5 s, a
 * database read per hit), so their number bounds what one page can cost everyone.
 */
export const MAX_SUBSCRIPTIONS_IN_PROCESS = 20_000;

interface Subscription {
  /** The URI as the client wrote it: notifications name it so. */
  uri: string;
  kind: ThingKind;
  id: string;
  /** The flow the thing was in when last looked at (a flow-wide change reaches it). */
  flowId: string;
}

interface Subscriber {
  /** By `kind:id`, so two spellings of one URI are one subscription. */
  subs: Map<string, Subscription>;
  send(uri: string): void;
}

class Notifier {
  private readonly subscribers = new Set<Subscriber>();
  private follower: Follower | undefined;

  constructor(private readonly ws: Workspace) {}

  add(s: Subscriber): void {
    this.subscribers.add(s);
    // Changes from the moment of the first subscription on: earlier ones are the client's read.
    this.follower ??= followEvents(
      this.ws,
      {
        since: newestSeq(this.ws.db),
        onError: (e) => {
          log.error(`resource subscriptions: cannot follow the event log: ${(e as Error).message}`);
          this.follower = undefined; // the next subscription starts over
        },
      },
      (page) => this.deliver(page.map((e) => touchedBy(this.ws.db, e))),
    );
  }

  /** Subscriptions of every session of this workspace in this process. */
  get total(): number {
    let n = 0;
    for (const s of this.subscribers) n += s.subs.size;
    return n;
  }

  remove(s: Subscriber): void {
    this.subscribers.delete(s);
    if (![...this.subscribers].some((x) => x.subs.size > 0)) {
      this.follower?.stop();
      this.follower = undefined;
    }
  }

  private deliver(touched: Touched[]): void {
    // The page's union first: then each subscription costs a set lookup or two, never a database read
    // (except a task that moved, whose flow is looked up again).
    const things = new Set<string>();
    const flows = new Set<string>();
    const moved = new Set<string>();
    let all = false;
    for (const t of touched) {
      all ||= t.all;
      for (const k of t.things) things.add(k);
      for (const f of t.flows) flows.add(f);
      for (const k of t.moved ?? []) moved.add(k);
    }
    for (const s of this.subscribers) {
      // One notification per URI per page of events, however many of them touched it.
      for (const [key, sub] of s.subs) {
        if (!(all || flows.has(sub.flowId) || things.has(key))) continue;
        if (moved.has(key)) sub.flowId = flowOfThing(this.ws.db, sub.kind, sub.id) ?? sub.flowId;
        s.send(sub.uri);
      }
    }
  }
}

const notifiers = new WeakMap<Workspace, Notifier>();

/** Declares the subscribe capability and answers subscribe/unsubscribe; returns what to call when the session ends. */
export function registerSubscriptions(mcp: McpServer, context: () => Promise<Call>): () => void {
  const server = mcp.server;
  server.registerCapabilities({ resources: { subscribe: true } });
  const me: Subscriber = {
    subs: new Map(),
    send: (uri) => void server.sendResourceUpdated({ uri }).catch(() => undefined), // a closed transport: the session is going
  };
  let notifier: Notifier | undefined;

  server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    const uri = req.params.uri;
    const thing = parseResourceUri(uri);
    const call = await opened(context);
    const flowId = thing && flowOfThing(call.ws.db, thing.kind, thing.id);
    if (!thing || !flowId) {
      throw rpcError(
        RESOURCE_NOT_FOUND,
        `No resource ${clip(uri, 60)} to subscribe to: flowmcp serves flow://flows/{id}, flow://flows/{id}/context, flow://plans/{id} and flow://tasks/{id} for ids that exist (resources/list, or task list, gives them).`,
        { uri: clip(uri, 200) },
      );
    }
    const key = thingKey(thing.kind, thing.id);
    if (notifier && notifiers.get(call.ws) !== notifier) notifier = undefined;
    if (!notifier) {
      notifier = notifiers.get(call.ws) ?? new Notifier(call.ws);
      notifiers.set(call.ws, notifier);
    }
    if (!me.subs.has(key) && me.subs.size >= MAX_SUBSCRIPTIONS) {
      throw rpcError(-32602, `This session already follows ${MAX_SUBSCRIPTIONS} resources: unsubscribe from some first, or follow a flow (flow://flows/{id}) instead of each of its tasks.`);
    }
    if (!me.subs.has(key) && notifier.total >= MAX_SUBSCRIPTIONS_IN_PROCESS) {
      throw rpcError(-32602, `This server already follows ${MAX_SUBSCRIPTIONS_IN_PROCESS} resources for its sessions: follow a flow (flow://flows/{id}) instead of each of its tasks, or try again later.`);
    }
    me.subs.set(key, { uri, ...thing, flowId });
    notifier.add(me);
    return {};
  });

  server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    // Unsubscribing from something not subscribed to is already done.
    const thing = parseResourceUri(req.params.uri);
    if (thing) me.subs.delete(thingKey(thing.kind, thing.id));
    if (me.subs.size === 0) notifier?.remove(me);
    return {};
  });

  return () => {
    me.subs.clear();
    notifier?.remove(me);
  };
}
