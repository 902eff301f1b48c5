// pre hooks: run before a call's write transaction, see the intended change (tool, action, the
// validated input, the entity as it is now), and may refuse it — the caller gets a 'refused' error
// naming the hook and its message, and nothing is changed. They run concurrently with each other and
// asynchronously (other calls, other sessions keep being answered), each bounded by its timeout. One
// that fails (times out, crashes, cannot start) lets the change through with a warning on stderr,
// unless it is marked required.
import { log } from '../../log.js';
import { FlowError } from '../../model/errors.js';
import { getFlow } from '../../store/flows.js';
import { ensureHookState, recordHookFailure, recordHookRefusal, recordHookSuccess } from '../../store/hooks.js';
import { getPlan } from '../../store/plans.js';
import { getTask } from '../../store/tasks.js';
import type { Call } from '../kernel/workspace.js';
import { runnableHooks, type LoadedHook } from './hook-config.js';
import { preEvents } from './hook-events.js';
import { matchHook, projectPaths } from './hook-match.js';
import { runHook, type HookOutcome } from './run-hook.js';

/** The entity a call names as it is now (task get for task set_status), when cheap to know. */
export type CurrentLookup = () => Promise<Record<string, unknown> | undefined>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** What a refusing hook said. */
function said(o: HookOutcome): string {
  // Stryker disable next-line StringLiteral: a refusal always carries a message (the hook's words, else its exit code), so the fallback is never used
  return o.message ?? '';
}

/** Counts a run in the hook's metrics; a read-only or busy database only loses the count. */
function countRun(call: Call, h: LoadedHook, o: HookOutcome, cursor: number | null = null): void {
  try {
    call.ws.write(() => {
      ensureHookState(call.ws.db, h.def.name, h.hash, cursor);
      if (o.kind === 'ok') recordHookSuccess(call.ws.db, h.def.name, call.ws.now(), o.latencyMs);
      else if (o.kind === 'refused') recordHookRefusal(call.ws.db, h.def.name, call.ws.now(), o.latencyMs, `refused: ${said(o)}`);
      else recordHookFailure(call.ws.db, h.def.name, call.ws.now(), o.latencyMs, o.message ?? o.kind, null);
    });
  } catch (e) {
    log.debug(`hook ${h.def.name}: its run was not counted: ${(e as Error).message}`);
  }
}

/**
 * The flows the change lands in, as its post event would record them: the named entity's flow (a
 * flow's own id), the flow named, the flow of the plan or task named (a move names its destination
 * plan: both flows), else — a call naming nothing, a /flow command — the session's current flow.
 * Empty when it cannot be known (a flow being created, an id that does not resolve): then a hook
 * filtered by flow_id runs all the same (runPreHooks), so a guard's filter never turns into a bypass.
 */
function flowsOf(call: Call, tool: string, action: string, input: Record<string, unknown>, now: Record<string, unknown> | undefined): string[] {
  const db = call.ws.db;
  const out = new Set<string>();
  let unknown = false;
  // A name given that does not resolve here (a name rather than an id, a typo) makes the flow unknown.
  const add = (v: string | undefined | null) => {
    if (v) out.add(v);
    else unknown = true;
  };
  const id = str(input.id);
  if (tool === 'flow') {
    if (!id) return []; // a flow being created has no id yet (flow create takes none)
    add(str(now?.id) ?? getFlow(db, id)?.id);
    return unknown ? [] : [...out];
  }
  if (id) add(str(now?.flow_id));
  const fid = str(input.flow_id);
  if (fid) add(getFlow(db, fid)?.id);
  const pid = str(input.plan_id);
  if (pid) add(getPlan(db, pid)?.flow_id);
  const tid = str(input.task_id);
  if (tid) add(getTask(db, tid)?.flow_id);
  if (!id && !fid && !pid && !tid) {
    // Nothing named: the call works in the session's current flow (task create in the current plan, a /flow command).
    const cur = call.session.currentView();
    add(cur.flow_id ?? (cur.plan_id ? getPlan(db, cur.plan_id)?.flow_id : undefined));
  }
  return unknown ? [] : [...out];
}

export async function runPreHooks(call: Call, tool: string, action: string, input: Record<string, unknown>, current: CurrentLookup): Promise<void> {
  const events = preEvents(tool, action, input);
  if (!events.length || call.ws.readOnly) return;
  const hooks = runnableHooks(call.ws, 'pre');
  if (!hooks.length) return;
  let now: Record<string, unknown> | undefined;
  if (str(input.id)) {
    try {
      now = await current();
    } catch {
      // `now` stays undefined: the call itself will say what is wrong with the id
    }
  }
  const flows = flowsOf(call, tool, action, input, now);
  const fields = {
    entity_id: str(now?.id) ?? str(input.id) ?? null,
    flow_id: flows[0] ?? null,
    status: str(input.status) ?? null,
    agent: call.session.agent,
  };
  const where = { project: projectPaths(call.ws.root) };
  const chosen = hooks.flatMap((h) => {
    // An unknown flow matches any flow_id filter: a guard runs rather than being skipped.
    const event = matchHook(h.def, events, { ...fields, flow_id: flows, ...where }, flows.length ? [] : ['flow_id']);
    return event ? [{ h, event }] : [];
  });
  const outcomes = await Promise.all(
    chosen.map(async ({ h, event }) => {
      const payload = {
        event,
        phase: 'pre',
        hook: h.def.name,
        project: call.ws.root,
        at: call.ws.now(),
        session_id: call.session.id,
        tool,
        action,
        input,
        ...fields,
        ...(now ? { current: now } : {}),
      };
      const o = await runHook(h.def, JSON.stringify(payload), { project: call.ws.root, event });
      countRun(call, h, o);
      return { h, event, o };
    }),
  );
  const what = tool === 'command' ? 'the command' : `${tool} ${action}`;
  for (const { h, event, o } of outcomes) {
    if (o.kind === 'refused') {
      throw new FlowError(
        'refused',
        `The hook "${h.def.name}" refused ${what}: ${said(o).replace(/[.!?。]+$/u, '')}. Nothing was changed.`,
        `The hook (in ${h.scope === 'user' ? 'your own config' : '.flow/config.json'}, run before ${event}) decides; change what it objects to, or the hook.`,
        { hook: h.def.name, event, message: o.message },
      );
    }
    if (o.kind === 'failed' && h.def.required) {
      throw new FlowError(
        'refused',
        `The required hook "${h.def.name}" failed (${o.message}), so ${what} was refused. Nothing was changed.`,
        'A required pre hook must answer for a change to go through: fix the hook (flowmcp hooks test ' + h.def.name + ') or drop "required".',
        { hook: h.def.name, event, message: o.message },
      );
    }
    if (o.kind === 'failed') log.warn(`hook ${h.def.name} (pre ${event}) failed and did not block ${what}: ${o.message}`);
  }
}
