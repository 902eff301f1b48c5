// Claims: an agent atomically takes a task (the one named, or the next ready one) for a lease, so
// several agents on one project never pick up the same work. Expired leases can be taken over.
import { dependenciesOf } from '../../store/deps.js';
import { getTask, readyTasks, type TaskRow } from '../../store/tasks.js';
import { claimTaskRow, releaseTaskClaim } from '../../store/task-updates.js';
import { FlowError } from '../../model/errors.js';
import { listSome, LIST_ITEMS } from '../../model/error-text.js';
import { record } from '../kernel/events.js';
import { scopeOf, whyNothingReady } from './next.js';
import { findTask } from '../kernel/names.js';
import { LIMITS } from '../schemas/common.js';
import type { TaskClaimInput, TaskReleaseInput } from '../schemas/task.js';
import type { TaskClaimResultV } from '../schemas/results.js';
import { claimIsLive, taskView } from './views.js';
import type { Call } from '../kernel/workspace.js';

function checkClaimable(call: Call, row: TaskRow, agent: string, now: string): void {
  if (claimIsLive(row, now) && row.claimed_by !== agent) {
    throw new FlowError(
      'claimed',
      `Task ${row.id} is claimed by ${row.claimed_by} until ${row.claim_expires_at}. Nothing was changed.`,
      'Claim another one (task claim without id takes the next ready task), or wait for the lease to expire or be released.',
      { claimed_by: row.claimed_by, expires_at: row.claim_expires_at },
    );
  }
  if (row.status === 'done' || row.status === 'cancelled' || row.status === 'blocked') {
    throw new FlowError(
      'not_ready',
      `Task ${row.id} is ${row.status}; only todo, in_progress or review tasks can be claimed. Nothing was changed.`,
      row.status === 'blocked' ? 'Set its status to todo once it is unblocked, then claim it.' : 'Use task next to find ready work.',
    );
  }
  const open = dependenciesOf(call.ws.db, row.id).filter((d) => d.status !== 'done');
  if (open.length) {
    throw new FlowError(
      'not_ready',
      `Task ${row.id} waits on unfinished ${listSome(open.map((d) => `${d.id} (${d.status})`))}. Nothing was changed.`,
      'Claim one of those first, or claim without id to take the next ready task.',
      { waiting_on: open.slice(0, LIST_ITEMS).map((d) => d.id), waiting_count: open.length },
    );
  }
}

export function claimTask(call: Call, input: TaskClaimInput): TaskClaimResultV {
  // One immediate transaction: the read of "who holds it" and the write of the claim cannot be split
  // by another process, so two agents can never both win the same task. Explaining an empty queue is a
  // scan of the flow, so it happens after the transaction, not while holding the write lock.
  const result = call.ws.write((): TaskClaimResultV | { empty: { flowId: string; planId?: string } } => {
    const db = call.ws.db;
    const now = call.ws.now();
    let row: TaskRow | undefined;
    if (input.id) {
      row = findTask(call, input.id);
      if (input.flow_id || input.plan_id) {
        // A scope given with an id must contain it: a mismatch means the caller is confused about which task.
        const scope = scopeOf(call, input);
        if (row.flow_id !== scope.flowId || (scope.planId && row.plan_id !== scope.planId)) {
          throw new FlowError(
            'invalid_input',
            `Task ${row.id} is not in ${scope.planId ? `plan ${scope.planId}` : `flow ${scope.flowId}`}. Nothing was changed.`,
            'Leave out flow_id/plan_id when naming the task by id, or name a task of that scope.',
          );
        }
      }
      checkClaimable(call, row, input.agent, now);
    } else {
      const scope = scopeOf(call, input);
      row = readyTasks(db, { ...scope, now, limit: 1 })[0];
      if (!row) return { empty: scope };
    }
    const lease = input.lease_seconds ?? LIMITS.leaseDefaultSeconds;
    const expires = new Date(call.ws.clock.now().getTime() + lease * 1000).toISOString();
    // Stryker disable next-line ConditionalExpression: a live claim here is always the caller's own (checkClaimable refuses another's; readyTasks skips live claims), so the agent test cannot change the answer
    const renewed = row.claimed_by === input.agent && claimIsLive(row, now);
    const tookOver = row.claimed_by && row.claimed_by !== input.agent ? row.claimed_by : undefined;
    claimTaskRow(db, row.id, { agent: input.agent, expiresAt: expires, status: row.status === 'todo' ? 'in_progress' : row.status, startedAt: row.started_at ?? now }, now);
    record(call, {
      action: 'task.claim',
      entity: 'task',
      entity_id: row.id,
      flow_id: row.flow_id,
      summary: `${input.agent} ${renewed ? 'renewed its claim on' : 'claimed'} task "${row.title}" until ${expires}${tookOver ? ` (expired claim of ${tookOver})` : ''}`,
      changes: { claimed_by: [row.claimed_by, input.agent], status: [row.status, row.status === 'todo' ? 'in_progress' : row.status] },
    });
    call.session.noteClaim(row.id, input.agent);
    const claim: TaskClaimResultV['claim'] = { agent: input.agent, expires_at: expires, renewed };
    // Stryker disable next-line ConditionalExpression: took_over_from: undefined is dropped from the JSON answer, the same as leaving it out
    if (tookOver) claim.took_over_from = tookOver;
    return { task: taskView(db, getTask(db, row.id)!, now), claim };
  });
  if ('empty' in result) return { task: null, reason: whyNothingReady(call, result.empty, call.ws.now()) };
  return result;
}

export function releaseTask(call: Call, input: TaskReleaseInput): TaskClaimResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const now = call.ws.now();
    const row = findTask(call, input.id);
    if (row.claimed_by === null) return { task: taskView(db, row, now), reason: `Task ${row.id} was not claimed; nothing to release.` };
    if (row.claimed_by !== input.agent) {
      throw new FlowError(
        'claimed',
        `Task ${row.id} is claimed by ${row.claimed_by}, not ${input.agent}. Nothing was changed.`,
        `Only the holder releases a claim; pass agent "${row.claimed_by}" if that is you, or wait for the lease to expire.`,
      );
    }
    // Work given back goes back in the queue; a task already in review or done keeps its status.
    const status = row.status === 'in_progress' ? 'todo' : row.status;
    releaseTaskClaim(db, row.id, status, now);
    record(call, {
      action: 'task.release',
      entity: 'task',
      entity_id: row.id,
      flow_id: row.flow_id,
      // Said without naming who released it: the event's agent says that (the web page releases for the holder).
      summary: `${input.agent}'s claim on task "${row.title}" released`,
      changes: { claimed_by: [row.claimed_by, null], status: [row.status, status] },
    });
    return { task: taskView(db, getTask(db, row.id)!, now) };
  });
}
