// Reads a flowmcp export (core/transfer/export.ts) back: every id, position, status, timestamp, revision,
// dependency and context entry as it was, so export → import → export gives the same bytes. A flow
// whose id is already here is left as it is (importing twice creates nothing); a snapshot is taken
// before anything is written; a dry run writes nothing.
import { deferSearchEntries } from '../../store/search-backlog.js';
import { getFlow } from '../../store/flows.js';
import { defaultFlow, setDefaultFlow } from '../kernel/session.js';
import { upsertRows } from '../../store/snapshot-state.js';
import { recountTasks } from '../../store/tasks.js';
import type { EntryRow } from '../../store/context.js';
import { indexEntry } from '../memory/context.js';
import { syncContextFile } from '../memory/context-file.js';
import { record } from '../kernel/events.js';
import { existingIds } from '../../store/rows.js';
import { ImportCheck } from './import-check.js';
import { ExportedEntry, ExportedFlow, ExportedPlan, ExportedState, ExportedTask } from '../schemas/import.js';
import { workspaceSnapshot } from '../snapshots/catalog.js';
import type { Call } from '../kernel/workspace.js';

type Row = Record<string, unknown>;

/**
 * Every flow not already here, checked row by row as the tools would (schemas/import.ts), with its
 * ids free (a plan or task id of a new flow that is already in use would overwrite that row), its
 * dependencies inside the flow and free of cycles. Returns the flows to write, as parsed (so trimmed
 * as the tools trim); throws, with every problem placed, before anything is written.
 */
function checkExport(call: Call, flows: Row[], source: string, report: ExportImportReport): Row[] {
  const db = call.ws.db;
  const check = new ImportCheck();
  const todo: Row[] = [];
  const seen = { plans: new Set<string>(), tasks: new Set<string>(), context_entries: new Set<string>() };
  const claim = (table: keyof typeof seen, id: string, at: string) => {
    if (seen[table].has(id)) check.add({ at, field: 'id', problem: 'is used twice in the file' });
    seen[table].add(id);
  };
  flows.forEach((raw, fi) => {
    const at = `flows[${fi}]`;
    const f = check.row(ExportedFlow, raw, at);
    if (!f) return;
    if (getFlow(db, f.id)) {
      report.already_imported.flows++;
      return;
    }
    const where = new Map<string, string>(); // task id → its place in the file
    const plans = (f.plans ?? []).map((rp, pi) => {
      const pat = `${at}.plans[${pi}]`;
      const p = check.row(ExportedPlan, rp, pat);
      if (!p) return undefined;
      claim('plans', p.id, pat);
      const tasks = (p.tasks ?? []).map((rt, ti) => {
        const tat = `${pat}.tasks[${ti}]`;
        const t = check.row(ExportedTask, rt, tat);
        if (t) {
          claim('tasks', t.id, tat);
          where.set(t.id, tat);
        }
        return t;
      });
      return { ...p, tasks };
    });
    const edges = new Map<string, string[]>();
    for (const p of plans) {
      for (const t of p?.tasks ?? []) {
        if (!t) continue;
        const deps = (t.depends_on ?? []).map((d) => d.id);
        for (const d of deps) if (!where.has(d)) check.add({ at: where.get(t.id)!, field: 'depends_on', problem: 'names a task that is not in this flow of the file' });
        edges.set(where.get(t.id)!, deps.filter((d) => where.has(d)).map((d) => where.get(d)!));
      }
    }
    check.cycles(edges, at);
    const context = (f.context ?? {}) as { entries?: unknown[]; state?: Row | null };
    const entries = (context.entries ?? []).map((e, ei) => {
      const eat = `${at}.context.entries[${ei}]`;
      const entry = check.row(ExportedEntry, e, eat);
      if (entry) claim('context_entries', entry.id, eat);
      return entry;
    });
    if (context.state) check.row(ExportedState, context.state, `${at}.context.state`);
    todo.push({ ...f, plans, context: { ...context, entries } });
  });
  // Ids of new rows must be free: an upsert onto another flow's plan or task would take it over.
  for (const table of ['plans', 'tasks', 'context_entries'] as const) {
    const taken = existingIds(db, table, [...seen[table]]);
    if (taken.size) check.add({ at: table, field: 'id', problem: `${taken.size} id${taken.size === 1 ? ' is' : 's are'} already used by another flow in this project` });
  }
  check.throwIfAny(source);
  for (const f of todo) {
    const plans = f.plans as Row[];
    report.created.flows++;
    report.created.plans += plans.length;
    for (const p of plans) {
      const tasks = p.tasks as Row[];
      report.created.tasks += tasks.length;
      for (const t of tasks) report.created.dependencies += ((t.depends_on ?? []) as Row[]).length;
    }
    report.created.context_entries += ((f.context as Row).entries as Row[]).length;
  }
  return todo;
}

export interface ExportImportReport {
  source: string;
  layout: 'flowmcp-export';
  dry_run: boolean;
  created: { flows: number; plans: number; tasks: number; dependencies: number; context_entries: number };
  already_imported: { flows: number };
  snapshot?: string;
}

export function importExport(call: Call, doc: Row, opts: { source: string; dry_run?: boolean }): ExportImportReport {
  const db = call.ws.db;
  const flows = Object.values((doc.flows ?? {}) as Record<string, Row>);
  const report: ExportImportReport = {
    source: opts.source,
    layout: 'flowmcp-export',
    dry_run: !!opts.dry_run,
    created: { flows: 0, plans: 0, tasks: 0, dependencies: 0, context_entries: 0 },
    already_imported: { flows: 0 },
  };
  if (opts.dry_run) {
    checkExport(call, flows, opts.source, report);
    return report;
  }
  // What is already there is looked up under the write lock that writes the rest: another process
  // importing the same file at the same moment cannot commit its flows in between (this one then
  // refused them as "ids already used by another flow", or wrote them again as if new).
  const todo = call.ws.write(() => {
    const todo = checkExport(call, flows, opts.source, report);
    if (todo.length === 0) return todo;
    report.snapshot = workspaceSnapshot(call, `before importing ${opts.source}`);
    // Search entries for the plans and tasks come after the record (core/docs/search-backlog.ts).
    deferSearchEntries(db);
    for (const f of todo) {
      upsertRows(db, 'flows', [{ ...f, created_at: f.created, updated_at: f.updated }]);
      const plans = (f.plans ?? []) as Row[];
      for (const p of plans) {
        upsertRows(db, 'plans', [{ ...p, flow_id: f.id }]);
        for (const t of (p.tasks ?? []) as Row[]) {
          upsertRows(db, 'tasks', [{ ...t, plan_id: p.id, flow_id: f.id }]);
        }
      }
      recountTasks(db, plans.map((p) => String(p.id)));
      for (const p of plans) {
        for (const t of (p.tasks ?? []) as Row[]) {
          upsertRows(db, 'deps', ((t.depends_on ?? []) as Row[]).map((d) => ({ task_id: t.id, depends_on: d.id, created_at: d.created_at })));
        }
      }
      const context = (f.context ?? {}) as { entries?: Row[]; state?: Row | null };
      for (const e of context.entries ?? []) {
        upsertRows(db, 'context_entries', [{ ...e, flow_id: f.id }]);
        indexEntry(call, { ...e, flow_id: f.id } as unknown as EntryRow);
      }
      if (context.state) upsertRows(db, 'context_state', [{ ...context.state, flow_id: f.id }]);
    }
    const current = typeof doc.current_flow_id === 'string' ? doc.current_flow_id : undefined;
    if (current && getFlow(db, current) && defaultFlow(db) === undefined) setDefaultFlow(db, current);
    record(call, {
      action: 'import',
      entity: 'flow',
      entity_id: String(todo[0]!.id),
      flow_id: null,
      summary: `imported ${opts.source} (flowmcp export): ${report.created.flows} flows, ${report.created.tasks} tasks; undo: snapshot restore ${report.snapshot}`,
    });
    return todo;
  });
  for (const f of todo) if ((f.context as Row | undefined)?.state) syncContextFile(call, String(f.id));
  return report;
}
