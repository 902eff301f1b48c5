// Per-client-session state: the current flow and plan. One agent switching flows must not move
// another, so this lives in memory per session; the last choice is also saved as the default that
// new sessions start from.
import { nodeCrypto } from '../../node-crypto.js';
import type { Db } from '../../store/db.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { getPlan } from '../../store/plans.js';

const LAST_FLOW = 'last_flow_id';
const LAST_PLAN = 'last_plan_id';
const LAST_PLAN_OF = 'last_plan_id.';

/** The plan `flowId` was last left on (by any session), if one was current in it. */
function lastPlanOf(db: Db, flowId: string): string | undefined {
  return getSetting(db, `${LAST_PLAN_OF}${flowId}`) ?? undefined;
}

/** A deleted flow's kept plan goes with it. */
export function forgetFlowPlan(db: Db, flowId: string): void {
  setSetting(db, `${LAST_PLAN_OF}${flowId}`, null);
}

export interface Current {
  flowId: string | null;
  planId: string | null;
}

export class Session {
  readonly agent: string;
  private state: Current | undefined;
  private drawnId: string | undefined;
  /** The plan this session last had current in each flow it was in (null: none). */
  private readonly plansLeft = new Map<string, string | null>();
  /** Claims this session took (task id → the agent name it gave): its own work, when it finishes it. */
  private readonly claims = new Map<string, string>();

  constructor(
    private readonly db: Db,
    agent: string,
  ) {
    this.agent = agent;
  }

  /** Drawn when first asked for (a change records it): a command that only reads never loads node:crypto. */
  get id(): string {
    return (this.drawnId ??= `s-${nodeCrypto().randomBytes(4).toString('hex')}`);
  }

  /** Loaded on first use, so a session that starts before any flow exists still picks up later defaults. */
  current(): Current {
    if (!this.state) {
      const flowId = getSetting(this.db, LAST_FLOW) ?? null;
      const planId = getSetting(this.db, LAST_PLAN) ?? null;
      // A saved plan of another flow than the saved flow (a database an older version wrote that way) is
      // no current plan: commands would act on a plan the status line says is not in the current flow.
      this.state = { flowId, planId: planId && flowId && getPlan(this.db, planId)?.flow_id !== flowId ? null : planId };
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
    // Each flow's last plan, so switching back to a flow finds the plan it was left on: this session's
    // own, and the project's default for a session that was never in that flow.
    if (flowId) this.plansLeft.set(flowId, planId);
    if (flowId && planId) setSetting(this.db, `${LAST_PLAN_OF}${flowId}`, planId);
  }

  /**
   * The plan a switch back to `flowId` comes back to: the one this session left it on (another session's
   * choice never moves it), else, for a flow this session was never in, the project's last one there.
   */
  planLeftIn(flowId: string): string | null {
    return this.plansLeft.has(flowId) ? this.plansLeft.get(flowId)! : lastPlanOf(this.db, flowId) ?? null;
  }

  /** A claim this session took, under the agent name it gave (any name: the claim tool takes what it is told). */
  noteClaim(taskId: string, agent: string): void {
    this.claims.set(taskId, agent);
  }

  /** Whether the claim `agent` holds on a task is one this session took. */
  tookClaim(taskId: string, agent: string | null): boolean {
    return agent !== null && this.claims.get(taskId) === agent;
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

/**
 * Makes `flowId` the flow new sessions start in (an import naming its current flow), keeping the saved
 * plan only if it is one of that flow's.
 */
export function setDefaultFlow(db: Db, flowId: string): void {
  setSetting(db, LAST_FLOW, flowId);
  const plan = getSetting(db, LAST_PLAN);
  if (plan && getPlan(db, plan)?.flow_id !== flowId) setSetting(db, LAST_PLAN, null);
}

/** The flow new sessions start in, if one was saved. */
export const defaultFlow = (db: Db): string | undefined => getSetting(db, LAST_FLOW);
