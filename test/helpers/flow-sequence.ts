// The setting of the property tests that run random sequences of changes against one flow: a fresh
// workspace with a flow and its first plan, the tool caller, and the ids there are now (in creation
// order), so a generated step can name "the i-th task" whatever has been deleted before it.
import { caller } from './call.js';
import { tempWorkspace, type TempWorkspace } from './workspace.js';

export interface FlowSequence {
  w: TempWorkspace;
  ok: ReturnType<typeof caller>['ok'];
  raw: ReturnType<typeof caller>['raw'];
  flow: string;
  plans: () => string[];
  tasks: () => string[];
}

export function flowSequence(name: string): FlowSequence {
  const w = tempWorkspace();
  const { ok, raw } = caller(w.call);
  const flow = ok('flow', { action: 'create', name }).flow.id as string;
  ok('plan', { action: 'create', title: 'First' });
  const ids = (sql: string, ...params: unknown[]) => (w.ws.db.prepare(sql).pluck().all(...params) as string[]);
  return {
    w,
    ok,
    raw,
    flow,
    plans: () => ids('SELECT id FROM plans WHERE flow_id = ? ORDER BY position', flow),
    tasks: () => ids('SELECT id FROM tasks ORDER BY created_at, id'),
  };
}

/** The i-th of xs, wrapping around; undefined when there are none (the step then does nothing). */
export const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
