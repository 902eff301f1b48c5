// Imports the earlier Flow system's context.json into a flow's context: its decisions (with their
// rationale, time and plan/task, resolved through legacy ids where those were imported), insights,
// preferences and files. Adds only; importing the same file again adds nothing; --dry-run reports
// what would be added and changes nothing.
import { legacyContextEntries, LegacyContext } from '../../store/legacy/context.js';
import { parseJsonAt } from '../../store/legacy/parse-json.js';
import { bumpRevision, hasLegacyKey, type EntryKind } from '../../store/context.js';
import { getPlanByLegacyId } from '../../store/plans.js';
import { getTaskByLegacyId } from '../../store/tasks.js';
import { addEntry, files as savedFiles, reconcile } from '../memory/context.js';
import { autoSnapshot } from '../snapshots/catalog.js';
import { syncContextFile } from '../memory/context-file.js';
import { FlowError } from '../../model/errors.js';
import { ImportCheck } from './import-check.js';
import { ImportedContextEntry, ImportedContextFile } from '../schemas/import.js';
import { utcTimestamp } from '../kernel/clock.js';
import { record } from '../kernel/events.js';
import { flowOrCurrent } from '../kernel/names.js';
import type { Call } from '../kernel/workspace.js';

export interface ContextImportReport {
  flow_id: string;
  dry_run: boolean;
  added: Partial<Record<EntryKind, number>>;
  already_imported: number;
  files_added: number;
  /** Legacy plan/task ids the file mentions that are not in this project (import the flows first). */
  unresolved: string[];
  revision?: number;
  /** Taken before anything was written: snapshot restore undoes the import. */
  snapshot?: string;
}

export function importLegacyContext(call: Call, input: { text: string; source: string; flow_id?: string; dry_run?: boolean }): ContextImportReport {
  const parsed = parseJsonAt(input.text);
  if (!parsed.ok) {
    throw new FlowError(
      'invalid_input',
      `${input.source} is not valid JSON (line ${parsed.line}, column ${parsed.column}: ${parsed.message}).`,
      'Fix the file (or restore it from version control) and import again; it was not changed.',
      { line: parsed.line, column: parsed.column },
    );
  }
  const legacy = LegacyContext.safeParse(parsed.value);
  if (!legacy.success) {
    const i = legacy.error.issues[0]!;
    throw new FlowError(
      'invalid_input',
      `${input.source} is not a context.json of the earlier Flow system (${i.path.join('.') || 'top level'}: ${i.message}).`,
      'Pass a .ai-brain/context.json; flows.json and workflow.json files are flow imports.',
    );
  }
  const { entries, files, active } = legacyContextEntries(legacy.data);
  // Every entry as context save would check it: nothing is added unless all of them pass.
  const check = new ImportCheck();
  entries.forEach((e, i) => check.row(ImportedContextEntry, { text: e.text, why: e.why }, `${e.kind} entries[${i}]`));
  files.forEach((f, i) => check.row(ImportedContextFile, f, `files[${i}]`));
  check.throwIfAny(input.source);
  // Both faces of an import (`flowmcp import`, `/flow import`) name the flow with --flow: a hint saying
  // flow_id became `--flow-id` on the command line, a flag import refuses.
  const flow = flowOrCurrent(call, input.flow_id, '--flow <id>');
  const db = call.ws.db;
  const fresh = entries.filter((e) => !hasLegacyKey(db, flow.id, e.key));
  const known = new Set(savedFiles(call, flow.id));
  const newFiles = files.filter((f) => !known.has(f));
  const unresolved = new Set<string>();
  const plan = (id?: string) => (id ? (getPlanByLegacyId(db, id)?.id ?? (unresolved.add(id), null)) : null);
  const task = (id?: string) => (id ? (getTaskByLegacyId(db, id)?.id ?? (unresolved.add(id), null)) : null);
  const resolved = fresh.map((e) => ({ ...e, plan_id: plan(e.legacy_plan_id), task_id: task(e.legacy_task_id) }));
  const activePlan = plan(active.plan);
  const activeTask = task(active.task);
  const added: Partial<Record<EntryKind, number>> = {};
  for (const e of fresh) added[e.kind] = (added[e.kind] ?? 0) + 1;
  const report: ContextImportReport = {
    flow_id: flow.id,
    dry_run: !!input.dry_run,
    added,
    already_imported: entries.length - fresh.length,
    files_added: newFiles.length,
    unresolved: [...unresolved],
  };
  if (input.dry_run || (fresh.length === 0 && newFiles.length === 0)) return report;

  reconcile(call, flow.id);
  report.snapshot = autoSnapshot(call, flow.id, `before importing ${input.source}`);
  report.revision = call.ws.write(() => {
    for (const e of resolved) {
      addEntry(call, flow.id, { kind: e.kind, text: e.text, why: e.why, plan_id: e.plan_id, task_id: e.task_id, legacy_key: e.key, created_at: utcTimestamp(e.at) });
    }
    const revision = bumpRevision(db, flow.id, call.ws.now(), {
      files: [...newFiles, ...savedFiles(call, flow.id)].slice(0, 100),
      ...(activePlan ? { active_plan_id: activePlan } : {}),
      ...(activeTask ? { active_task_id: activeTask } : {}),
    });
    record(call, {
      action: 'context.import',
      entity: 'context',
      entity_id: flow.id,
      flow_id: flow.id,
      summary: `imported ${fresh.length} context entries from ${input.source}`,
    });
    return revision;
  });
  syncContextFile(call, flow.id);
  return report;
}
