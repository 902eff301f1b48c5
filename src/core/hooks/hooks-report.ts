// What `flowmcp hooks` shows and does: every hook with where it comes from, whether it runs (and if
// not, why and how to allow it), its counters and backlog; trusting a project's hooks; and a test run
// of one hook with a sample event.
import { ID_PREFIX } from '../kernel/ids.js';
import { FlowError } from '../../model/errors.js';
import { listSome } from '../../model/error-text.js';
import { lastEventSeq } from '../../store/events.js';
import { allHookStates } from '../../store/hooks.js';
import type { Call, Workspace } from '../kernel/workspace.js';
import { loadHooks, untrustedNote, type LoadedHook } from './hook-config.js';
import { hookFiles, trustHooks } from './hook-trust.js';
import { backlogOf } from './delivery.js';
import { runHook, timeoutOf, type HookOutcome } from './run-hook.js';

export interface HookReportRow {
  name: string;
  scope: 'user' | 'project';
  when: 'pre' | 'post';
  events: string[];
  target: string;
  required?: boolean;
  /** runs; or untrusted (a project hook not trusted in this exact definition: it is not run). */
  state: 'runs' | 'untrusted';
  runs: number;
  failures: number;
  /** pre hooks: changes refused. */
  refusals: number;
  last_error: string | null;
  last_run_at: string | null;
  last_latency_ms: number | null;
  avg_latency_ms: number | null;
  /** post hooks: events waiting to be delivered (null before its first delivery pass). */
  backlog: number | null;
  /** post hooks failing: when the next try is (ISO time). */
  retry_at: string | null;
  /** post hooks: runs a one-shot command stopped when its time ran out, since the last success. */
  interrupted: number;
  /** post hooks: the process delivering it now (host:pid:tag) and until when its lease lasts (ISO time). */
  lease_owner: string | null;
  lease_until: string | null;
  note?: string;
}

/** A time from the database as ISO text; a value no Date can hold (planted) said as the number. */
function isoOr(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function target(h: LoadedHook): string {
  return h.def.run ? h.def.run.join(' ') : `POST ${h.def.url}`;
}

export function hooksReport(call: Call): { hooks: HookReportRow[]; problems: string[]; last_seq: number } {
  return hookRows(call.ws);
}

/** The rows of hooks list (also /metrics of the HTTP server). */
export function hookRows(ws: Workspace): { hooks: HookReportRow[]; problems: string[]; last_seq: number } {
  const set = loadHooks(ws, { quiet: true });
  const states = new Map(allHookStates(ws.db).map((s) => [s.name, s]));
  const hooks = set.hooks.map((h): HookReportRow => {
    const s = states.get(h.def.name);
    return {
      name: h.def.name,
      scope: h.scope,
      when: h.def.when,
      events: h.def.events,
      target: target(h),
      ...(h.def.required ? { required: true } : {}),
      state: h.trusted ? 'runs' : 'untrusted',
      runs: s?.runs ?? 0,
      failures: s?.failures ?? 0,
      refusals: s?.refusals ?? 0,
      last_error: s?.last_error ?? null,
      last_run_at: s?.last_run_at ?? null,
      last_latency_ms: s?.last_latency_ms ?? null,
      avg_latency_ms: s && s.runs ? Math.round(s.total_latency_ms / s.runs) : null,
      backlog: h.def.when === 'post' && s?.cursor != null ? backlogOf(ws, h, s.cursor) : null,
      retry_at: s?.retry_at && s.retry_at > Date.now() ? isoOr(s.retry_at) : null,
      interrupted: s?.interrupted ?? 0,
      lease_owner: s?.lease_owner && s.lease_until && s.lease_until > Date.now() ? s.lease_owner : null,
      lease_until: s?.lease_owner && s.lease_until && s.lease_until > Date.now() ? isoOr(s.lease_until) : null,
      ...(h.trusted ? {} : { note: untrustedNote(h) }),
    };
  });
  return { hooks, problems: set.problems, last_seq: lastEventSeq(ws.db) };
}

function find(call: Call, name: string): LoadedHook {
  const all = loadHooks(call.ws, { quiet: true }).hooks;
  const h = all.find((x) => x.def.name === name);
  if (!h) {
    throw new FlowError(
      'not_found',
      `No hook named "${name}".`,
      all.length ? `Hooks: ${listSome(all.map((x) => x.def.name))} (flowmcp hooks list).` : 'No hooks are defined: add them under "hooks" in .flow/config.json or your own config.',
    );
  }
  return h;
}

/** Trusts the named project hooks (or all of them) in their current definitions. */
export function trustProjectHooks(call: Call, names: string[] | 'all'): { trusted: { name: string; hash: string; definition: unknown; files: string[] }[]; file: string | null; already_yours: string[] } {
  const project = loadHooks(call.ws, { quiet: true }).hooks.filter((h) => h.scope === 'project');
  const picked = names === 'all' ? project : names.map((n) => find(call, n));
  const yours = picked.filter((h) => h.scope === 'user').map((h) => h.def.name);
  const mine = picked.filter((h) => h.scope === 'project');
  if (!mine.length) return { trusted: [], file: null, already_yours: yours };
  const file = trustHooks(call.ws.root, mine.map((h) => ({ def: h.def, hash: h.hash })));
  return { trusted: mine.map((h) => ({ name: h.def.name, hash: h.hash, definition: h.def, files: Object.keys(hookFiles(call.ws.root, h.def)) })), file, already_yours: yours };
}

/** Runs one hook once with a sample event (marked "test": true); nothing is recorded or delivered. */
export async function testHook(call: Call, name: string): Promise<{ name: string; event: string; payload: Record<string, unknown>; outcome: HookOutcome; timeout_ms: number }> {
  const h = find(call, name);
  if (!h.trusted) throw new FlowError('refused', `The hook "${name}" is not trusted, so it was not run.`, `Look at its definition (flowmcp hooks list), then: flowmcp hooks trust ${name}`);
  const event = h.def.events.find((e) => e !== '*') ?? 'task.status_changed';
  // The sample names a thing of the event's kind (plan.completed: a plan), in the shape of a real id.
  const kind = event.split('.')[0]!;
  const entity = kind in ID_PREFIX ? (kind as keyof typeof ID_PREFIX) : 'flow';
  const entityId = `${ID_PREFIX[entity]}-test`;
  const done = event === 'task.status_changed' || event === 'plan.completed';
  const payload: Record<string, unknown> = {
    event,
    phase: h.def.when,
    hook: name,
    test: true,
    at: call.ws.now(),
    project: call.ws.root,
    agent: call.session.agent,
    session_id: call.session.id,
    ...(h.def.when === 'post'
      ? {
          seq: 0,
          action: 'test',
          entity,
          entity_id: entityId,
          flow_id: null,
          summary: 'a sample event from flowmcp hooks test',
          changes: done ? { status: [entity === 'plan' ? 'active' : 'todo', 'done'] } : null,
          ...(done ? { status: 'done' } : {}),
        }
      : {
          tool: entity,
          action: done && entity === 'task' ? 'set_status' : 'update',
          input: { id: entityId, ...(done ? { status: 'done' } : {}) },
          entity_id: entityId,
          flow_id: null,
          ...(done ? { status: 'done' } : {}),
        }),
  };
  const outcome = await runHook(h.def, JSON.stringify(payload), { project: call.ws.root, event, ...(h.def.when === 'post' ? { seq: 0 } : {}) });
  return { name, event, payload, outcome, timeout_ms: timeoutOf(h.def) };
}
