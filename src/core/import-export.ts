// Reads a flowmcp export (core/export.ts) back: every id, position, status, timestamp, revision,
// dependency and context entry as it was, so export → import → export gives the same bytes. A flow
// whose id is already here is left as it is (importing twice creates nothing); a snapshot is taken
// before anything is written; a dry run writes nothing.
import { replaceChunks } from '../store/chunks.js';
import { getFlow } from '../store/flows.js';
import { setSetting } from '../store/settings.js';
import { stmt } from '../store/statements.js';
import { upsertRows } from '../store/snapshot-state.js';
import { recordChunk } from '../search/prepare.js';
import type { EntryRow } from '../store/context.js';
import { indexEntry } from './context.js';
import { syncContextFile } from './context-file.js';
import { record } from './events.js';
import { workspaceSnapshot } from './snapshots.js';
import type { Ctx } from './workspace.js';

type Row = Record<string, unknown>;

export interface ExportImportReport {
  source: string;
  layout: 'flowmcp-export';
  dry_run: boolean;
  created: { flows: number; plans: number; tasks: number; dependencies: number; context_entries: number };
  already_imported: { flows: number };
  snapshot?: string;
}

export function importExport(ctx: Ctx, doc: Row, opts: { source: string; dry_run?: boolean }): ExportImportReport {
  const db = ctx.ws.db;
  const flows = Object.values((doc.flows ?? {}) as Record<string, Row>);
  const report: ExportImportReport = {
    source: opts.source,
    layout: 'flowmcp-export',
    dry_run: !!opts.dry_run,
    created: { flows: 0, plans: 0, tasks: 0, dependencies: 0, context_entries: 0 },
    already_imported: { flows: 0 },
  };
  const todo = flows.filter((f) => {
    if (getFlow(db, String(f.id))) {
      report.already_imported.flows++;
      return false;
    }
    const plans = (f.plans ?? []) as Row[];
    report.created.flows++;
    report.created.plans += plans.length;
    for (const p of plans) {
      const tasks = (p.tasks ?? []) as Row[];
      report.created.tasks += tasks.length;
      for (const t of tasks) report.created.dependencies += ((t.depends_on ?? []) as Row[]).length;
    }
    report.created.context_entries += (((f.context as Row | undefined)?.entries ?? []) as Row[]).length;
    return true;
  });
  if (opts.dry_run || todo.length === 0) return report;
  report.snapshot = workspaceSnapshot(ctx, `before importing ${opts.source}`);
  ctx.ws.write(() => {
    for (const f of todo) {
      upsertRows(db, 'flows', [{ ...f, created_at: f.created, updated_at: f.updated }]);
      const plans = (f.plans ?? []) as Row[];
      for (const p of plans) {
        upsertRows(db, 'plans', [{ ...p, flow_id: f.id }]);
        replaceChunks(db, 'plan', String(p.id), recordChunk(String(p.title), String(p.objective ?? '')));
        for (const t of (p.tasks ?? []) as Row[]) {
          upsertRows(db, 'tasks', [{ ...t, plan_id: p.id, flow_id: f.id }]);
          replaceChunks(db, 'task', String(t.id), recordChunk(String(t.title), String(t.description ?? '')));
        }
      }
      for (const p of plans) {
        for (const t of (p.tasks ?? []) as Row[]) {
          upsertRows(db, 'deps', ((t.depends_on ?? []) as Row[]).map((d) => ({ task_id: t.id, depends_on: d.id, created_at: d.created_at })));
        }
      }
      const context = (f.context ?? {}) as { entries?: Row[]; state?: Row | null };
      for (const e of context.entries ?? []) {
        upsertRows(db, 'context_entries', [{ ...e, flow_id: f.id }]);
        indexEntry(ctx, { ...e, flow_id: f.id } as unknown as EntryRow);
      }
      if (context.state) upsertRows(db, 'context_state', [{ ...context.state, flow_id: f.id }]);
    }
    const current = typeof doc.current_flow_id === 'string' ? doc.current_flow_id : undefined;
    if (current && getFlow(db, current) && !stmt(db, "SELECT 1 FROM settings WHERE key = 'last_flow_id'").get()) setSetting(db, 'last_flow_id', current);
    record(ctx, {
      action: 'import',
      entity: 'flow',
      entity_id: String(todo[0]!.id),
      flow_id: null,
      summary: `imported ${opts.source} (flowmcp export): ${report.created.flows} flows, ${report.created.tasks} tasks; undo: snapshot restore ${report.snapshot}`,
    });
  });
  for (const f of todo) if ((f.context as Row | undefined)?.state) syncContextFile(ctx, String(f.id));
  return report;
}
