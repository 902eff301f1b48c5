// `flowmcp export`: the "3.0" flows.json the earlier system proposed, extended with plans, tasks,
// dependencies and context, every field flowmcp keeps. Written for git: flows by id, plans and tasks
// in their order, two-space indent, no export timestamp, so the same state gives the same bytes; and
// `flowmcp import` reads it back with every id and field as it was (import-export.ts).
import { exportContextEntries, exportContextState, exportDependencies, exportFlows, exportPlans, exportTasks } from '../../store/export-rows.js';
import { defaultFlow } from '../kernel/session.js';
import { findFlow } from '../kernel/names.js';
import type { Call } from '../kernel/workspace.js';

export const EXPORT_MARK = 'flowmcp';

export function exportState(call: Call, opts: { flow_id?: string } = {}): string {
  const db = call.ws.db;
  const only = opts.flow_id ? findFlow(call, opts.flow_id).id : undefined;
  const flows = exportFlows(db, only);
  const out: Record<string, unknown> = {};
  for (const f of flows) {
    const plans = exportPlans(db, f.id);
    out[f.id] = {
      id: f.id,
      name: f.name,
      description: f.description,
      status: f.status,
      legacy_id: f.legacy_id,
      created: f.created_at,
      updated: f.updated_at,
      revision: f.revision,
      plans: plans.map((p) => ({
        id: p.id,
        title: p.title,
        objective: p.objective,
        status: p.status,
        position: p.position,
        legacy_id: p.legacy_id,
        created_at: p.created_at,
        updated_at: p.updated_at,
        revision: p.revision,
        tasks: exportTasks(db, p.id).map((t) => ({
          id: t.id,
          title: t.title,
          description: t.description,
          status: t.status,
          priority: t.priority,
          position: t.position,
          claimed_by: t.claimed_by,
          claim_expires_at: t.claim_expires_at,
          started_at: t.started_at,
          completed_at: t.completed_at,
          legacy_id: t.legacy_id,
          created_at: t.created_at,
          updated_at: t.updated_at,
          revision: t.revision,
          depends_on: exportDependencies(db, t.id).map((d) => ({
            id: d.depends_on,
            created_at: d.created_at,
          })),
        })),
      })),
      context: {
        entries: exportContextEntries(db, f.id).map((e) => ({
          id: e.id,
          kind: e.kind,
          text: e.text,
          why: e.why,
          plan_id: e.plan_id,
          task_id: e.task_id,
          state: e.state,
          legacy_key: e.legacy_key,
          agent: e.agent,
          created_at: e.created_at,
          updated_at: e.updated_at,
        })),
        state: exportContextState(db, f.id) ?? null,
      },
    };
  }
  const current = defaultFlow(db) ?? null;
  const doc = {
    version: '3.0',
    meta: { exported_by: EXPORT_MARK, format: 1 },
    current_flow_id: current && (!only || current === only) ? current : null,
    flows: out,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
