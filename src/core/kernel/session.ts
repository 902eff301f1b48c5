// Per-client-session state: the current flow and plan. One agent switching flows must not move
// another, so this lives in memory per session; the last choice is also saved as the default that
// new sessions start from.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { getSetting, setSetting } from '../../store/settings.js';

const LAST_FLOW = 'last_flow_id';
const LAST_PLAN = 'last_plan_id';

export interface Current {
  flowId: string | null;
  planId: string | null;
}

export class Session {
  readonly id: string;
  readonly agent: string;
  private state: Current | undefined;

  constructor(
    private readonly db: Db,
    agent: string,
  ) {
    this.id = `s-${randomBytes(4).toString('hex')}`;
    this.agent = agent;
  }

  /** Loaded on first use, so a session that starts before any flow exists still picks up later defaults. */
  current(): Current {
    if (!this.state) {
      this.state = { flowId: getSetting(this.db, LAST_FLOW) ?? null, planId: getSetting(this.db, LAST_PLAN) ?? null };
    }
    return this.state;
  }

  /** The current flow/plan as results report it. */
  currentView(): { flow_id: string | null; plan_id: string | null } {
    const c = this.current();
    return { flow_id: c.flowId, plan_id: c.planId };
  }

  setCurrent(flowId: string | null, planId: string | null): void {
    this.state = { flowId, planId };
    setSetting(this.db, LAST_FLOW, flowId);
    setSetting(this.db, LAST_PLAN, planId);
  }

  /** Forgets ids that were deleted, here and in the saved default. */
  forget(ids: ReadonlySet<string>): void {
    const cur = this.current();
    if (cur.flowId && ids.has(cur.flowId)) this.state = { flowId: null, planId: null };
    else if (cur.planId && ids.has(cur.planId)) this.state = { ...cur, planId: null };
    const lastFlow = getSetting(this.db, LAST_FLOW);
    const lastPlan = getSetting(this.db, LAST_PLAN);
    if (lastFlow && ids.has(lastFlow)) {
      setSetting(this.db, LAST_FLOW, null);
      setSetting(this.db, LAST_PLAN, null);
    } else if (lastPlan && ids.has(lastPlan)) setSetting(this.db, LAST_PLAN, null);
  }
}
