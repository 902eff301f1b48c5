// Imports the earlier Flow system's flows.json / workflow.json into flowmcp, by the rules its design
// notes set: the first of two equal ids keeps it and later ones are renamed (and reported); an item
// without an id gets one (derived from its content, so a second import finds it again); missing plans
// are an empty list; equal names are fine; statuses are mapped and every timestamp kept; legacy ids
// still resolve. Adds only: an item already imported (by legacy id) is left as it is, so running the
// same import twice creates nothing. A snapshot is taken before anything is written; --dry-run writes
// nothing at all.
import { nodeCrypto } from '../../node-crypto.js';
import { addDependency } from '../../store/deps.js';
import { insertFlow } from '../../store/flows.js';
import { insertPlan } from '../../store/plans.js';
import { insertTask, insertingInBulk } from '../../store/tasks.js';
import { deferSearchEntries } from '../../store/search-backlog.js';
import { existingIds, rowCount, rowsByLegacyIds, type LegacyRow } from '../../store/rows.js';
import { growPageCache } from '../../store/db.js';
import type { Steps } from '../kernel/steps.js';
import { setDefaultFlow } from '../kernel/session.js';
import { PLAN_ORDER, TASK_ORDER, endPosition } from '../../store/order.js';
import type { LegacyFile } from '../../store/legacy/flows.js';
import { utcTimestamp } from '../kernel/clock.js';
import { record } from '../kernel/events.js';
import { idLengthFor, newIds } from '../kernel/ids.js';
import { ImportCheck } from './import-check.js';
import { ImportedFlow, ImportedPlan, ImportedTask } from '../schemas/import.js';
import { workspaceSnapshot } from '../snapshots/catalog.js';
import { PLAN_STATUSES, PLAN_STATUS_ALIASES, PRIORITIES, TASK_STATUSES, TASK_STATUS_ALIASES, normalizeWord } from '../../model/vocab.js';
import type { Call } from '../kernel/workspace.js';
import { log } from '../../log.js';

export interface FlowImportReport {
  source: string;
  layout: string;
  dry_run: boolean;
  created: { flows: number; plans: number; tasks: number; dependencies: number };
  already_imported: { flows: number; plans: number; tasks: number };
  /** Ids the file used twice (or that another flow already holds): the later ones, renamed. */
  renamed: { kind: 'flow' | 'plan' | 'task'; from: string; to: string }[];
  /** Items with no id in the file: given one derived from their content. */
  ids_generated: number;
  statuses_mapped: Record<string, number>;
  /** Dependencies on tasks the file does not have. */
  dependencies_unknown: number;
  snapshot?: string;
}

// Big imports commit as they go, each batch whole. A batch ends at whichever comes first; bigger
// batches rewrite the same index pages less often (measured: npm run bench -- import). A server passes
// smaller ones (batchTasks): it answers other callers between batches, never during one.
const BATCH_FLOWS = 2_000;
const BATCH_TASKS = 20_000;
/** Rows the check pass reads between pauses (when run in turns). */
const CHECK_ROWS_A_TURN = 5_000;
const CLUSTER_FROM = 1_000; // new ids of one kind in a batch

const contentKey = (kind: string, ...parts: (string | undefined)[]) =>
  `noid:${kind}:${nodeCrypto().createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 16)}`;

interface PlannedTask {
  key: string;
  existing?: string;
  id: string;
  t: LegacyFile['flows'][number]['plans'][number]['tasks'][number];
  status: string;
}
interface PlannedPlan {
  key: string;
  existing?: string;
  id: string;
  p: LegacyFile['flows'][number]['plans'][number];
  status: string;
  tasks: PlannedTask[];
}
interface PlannedFlow {
  key: string;
  existing?: string;
  id: string;
  f: LegacyFile['flows'][number];
  plans: PlannedPlan[];
}

export interface FlowSource {
  layout: LegacyFile['layout'];
  /** Read lazily for big files: only one batch is held at a time. */
  flows: Iterable<LegacyFile['flows'][number]>;
  current_flow_id?: string;
}

/**
 * A word of the old system's (a status, a priority) as flowmcp's: a file uses a handful of them a million
 * times, so the first hundred different ones are remembered (more would be a file of junk, read word by word).
 */
function wordMap<T extends string>(normalize: (word: string) => T): (word: string) => T {
  const known = new Map<string, T>();
  return (word) => {
    let w = known.get(word);
    if (w === undefined) {
      w = normalize(word);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: how many are remembered changes only the time taken
      if (known.size < 100) known.set(word, w);
    }
    return w;
  };
}
const planStatusWord = wordMap((w) => normalizeWord(w, PLAN_STATUSES, PLAN_STATUS_ALIASES) ?? 'active');
const taskStatusWord = wordMap((w) => normalizeWord(w, TASK_STATUSES, TASK_STATUS_ALIASES) ?? 'todo');
const priorityWord = wordMap((w) => normalizeWord(w, PRIORITIES, {}) ?? 'medium');
const planStatusOf = (p: LegacyFile['flows'][number]['plans'][number]) => (p.status ? planStatusWord(p.status) : 'active');
const taskStatusOf = (t: LegacyFile['flows'][number]['plans'][number]['tasks'][number]) => (t.status ? taskStatusWord(t.status) : 'todo');
const priorityOf = (t: LegacyFile['flows'][number]['plans'][number]['tasks'][number]) => (t.priority ? priorityWord(t.priority) : 'medium');

/**
 * Every row as the tools would check it (names, titles, text, statuses), and each flow's dependencies
 * for cycles, in one pass over the file: linear in rows and edges. Problems are placed by position in
 * the file (flows[0].plans[1].tasks[2]), never by the file's text. Statuses and priorities are checked
 * after the old system's words are mapped (unknown ones map to todo / medium and are reported as mapped).
 */
export function* checkLegacyFlows(flows: Iterable<LegacyFile['flows'][number]>, source: string): Steps<number> {
  const check = new ImportCheck();
  let fi = 0;
  let rows = 0;
  let tasks = 0;
  for (const f of flows) {
    if (rows >= CHECK_ROWS_A_TURN) {
      rows = 0;
      yield 'check';
    }
    rows += 1 + f.plans.length;
    for (const p of f.plans) {
      rows += p.tasks.length;
      tasks += p.tasks.length;
    }
    const fat = `flows[${fi++}]`;
    check.row(ImportedFlow, { name: f.name, description: f.description, status: f.archived ? 'archived' : 'active' }, fat);
    // Dependencies name tasks of the same flow by the file's ids. One on a task the flow does not have
    // (counted as unknown later) is a task with no edges here, so it closes no cycle.
    let edges: Map<string, string[]> | undefined;
    for (let pi = 0; pi < f.plans.length; pi++) {
      const p = f.plans[pi]!;
      check.row(ImportedPlan, { title: p.title, objective: p.objective, status: planStatusOf(p) }, () => `${fat}.plans[${pi}]`);
      for (let ti = 0; ti < p.tasks.length; ti++) {
        const t = p.tasks[ti]!;
        check.row(ImportedTask, { title: t.title, description: t.description, priority: priorityOf(t), status: taskStatusOf(t) }, () => `${fat}.plans[${pi}].tasks[${ti}]`);
        if (!t.id) continue;
        // Stryker disable next-line ConditionalExpression: a task without dependencies adds no edge; skipped only to keep the map small
        if (!t.depends_on.length) continue;
        // Tasks that share an id are one task here, as the file reads: a cycle through either is refused.
        const known = (edges ??= new Map()).get(t.id);
        if (known) known.push(...t.depends_on);
        else edges.set(t.id, t.depends_on.slice());
      }
    }
    if (!edges) continue;
    // A cycle is named by the places of its tasks in the file, not by the file's text.
    check.cycles(edges, fat, (id) => {
      for (const [pi, p] of f.plans.entries()) {
        const ti = p.tasks.findIndex((t) => t.id === id);
        if (ti >= 0) return `${fat}.plans[${pi}].tasks[${ti}]`;
      }
      return id; // not reached: every task of a cycle has an edge, so it is in this flow
    });
  }
  check.throwIfAny(source);
  return tasks;
}

export interface FlowImportOptions {
  source: string;
  dry_run?: boolean;
  /** The file has passed checkLegacyFlows, which counted this many tasks. */
  checked?: { tasks: number };
  /** Tasks a batch holds at most (BATCH_TASKS unless given). */
  batchTasks?: number;
}

/** The import, pausing after each committed batch (and during the check pass). */
export function* importLegacyFlowsSteps(call: Call, file: FlowSource, opts: FlowImportOptions): Steps<FlowImportReport> {
  // Nothing is written before every row has passed: batches commit as they go, so the check comes first.
  // Stryker disable next-line ConditionalExpression: checking a checked file again finds nothing new; only slower
  const totalTasks = opts.checked ? opts.checked.tasks : yield* checkLegacyFlows(file.flows, opts.source);
  const batchTasksMax = opts.batchTasks ?? BATCH_TASKS;
  const db = call.ws.db;
  const report: FlowImportReport = {
    source: opts.source,
    layout: file.layout,
    dry_run: !!opts.dry_run,
    created: { flows: 0, plans: 0, tasks: 0, dependencies: 0 },
    already_imported: { flows: 0, plans: 0, tasks: 0 },
    renamed: [],
    ids_generated: 0,
    statuses_mapped: {},
    dependencies_unknown: 0,
  };
  const seen = { flow: new Set<string>(), plan: new Set<string>(), task: new Set<string>() };
  const TABLE = { flow: 'flows', plan: 'plans', task: 'tasks' } as const;
  type Kind = keyof typeof TABLE;
  // Rows in each table (as far as this run knows): sets how long new ids start.
  const rows = { flow: rowCount(db, 'flows'), plan: rowCount(db, 'plans'), task: rowCount(db, 'tasks') };
  // Per batch: new ids drawn in bulk, and the rows the file's own ids already name, both fetched in one
  // query each instead of one per item. Other keys (renamed or made from content) are looked up one by one.
  const pool = { flow: [] as string[], plan: [] as string[], task: [] as string[] };
  const found = { flow: new Map<string, LegacyRow>(), plan: new Map<string, LegacyRow>(), task: new Map<string, LegacyRow>() };
  /** The row filed under a legacy key; `ownId` says the key is the item's own id in the file, which the batch's prefetch asked about. */
  const lookup = (kind: Kind, legacy: string, ownId: boolean): LegacyRow | undefined => {
    const r = found[kind].get(legacy);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the prefetch only saves queries: asking again gives the same answer
    if (r || ownId) return r;
    return rowsByLegacyIds(db, TABLE[kind], [legacy]).get(legacy);
  };
  const prepareBatch = (flows: LegacyFile['flows']) => {
    // The prefetch only saves queries (lookup asks for any other key), so replacing it changes no answer:
    // no key is looked up again after its row is written (fileKey, madeKey and ownKey never hand out a
    // key twice), and rows already there do not change during an import.
    const ids = { flow: [] as string[], plan: [] as string[], task: [] as string[] };
    // Stryker disable next-line BlockStatement: see above
    for (const f of flows) {
      if (f.id) ids.flow.push(f.id);
      // Stryker disable next-line BlockStatement: see above
      for (const p of f.plans) {
        if (p.id) ids.plan.push(p.id);
        for (const t of p.tasks) if (t.id) ids.task.push(t.id);
      }
    }
    // Stryker disable next-line BlockStatement: see above
    for (const kind of ['flow', 'plan', 'task'] as const) found[kind] = rowsByLegacyIds(db, TABLE[kind], ids[kind]);
    const need = { flow: flows.length, plan: 0, task: 0 };
    for (const f of flows) {
      need.plan += f.plans.length;
      for (const p of f.plans) need.task += p.tasks.length;
    }
    for (const kind of ['flow', 'plan', 'task'] as const) {
      // A big batch gets clustered ids (two shared letters, the rest sized for the batch): its inserts
      // then touch one stretch of every index keyed by id, instead of every page of them, and each
      // commit writes that stretch, not the whole index. Measured at 1M tasks: 2× faster. Small
      // imports keep the usual short ids.
      const cluster = need[kind] >= CLUSTER_FROM;
      const length = cluster ? idLengthFor(need[kind]) : idLengthFor(rows[kind] + need[kind]);
      // Handed out in ascending order (idFor pops from the end), in file order, which is the order rows
      // are written: every index that starts with an id (the keys of flows, plans and tasks; tasks by
      // plan and by flow) then grows at one end instead of splitting pages all over the stretch.
      // Measured at 1M tasks: the inserts take ~10% less time (bare inserts of the same rows: ~40%).
      pool[kind] = newIds(kind, need[kind], length, (x) => existingIds(db, TABLE[kind], x), cluster).sort().reverse();
      rows[kind] += need[kind];
    }
  };
  /** The legacy key for an item with an id: the id, renamed if the file already used it. */
  const fileKey = (kind: Kind, id: string): string => {
    const keys = seen[kind];
    const before = keys.size;
    keys.add(id); // one look-up for the usual case, an id not seen before
    if (keys.size > before) return id;
    let k = id;
    for (let n = 2; keys.has(k); n++) k = `${id}~${n}`;
    report.renamed.push({ kind, from: id, to: k });
    keys.add(k);
    return k;
  };
  /** The legacy key for an item without an id: one made from its content. */
  const madeKey = (kind: Kind, ...content: (string | undefined)[]): string => {
    report.ids_generated++;
    let k = contentKey(kind, ...content);
    for (let n = 2; seen[kind].has(k); n++) k = `${contentKey(kind, ...content)}~${n}`;
    seen[kind].add(k);
    return k;
  };
  /**
   * The key an item is filed under in this flow, and the row already there under it: a legacy id
   * another flow holds (a different file reusing it) is renamed for this flow, to a key no other item
   * of this run has. One lookup per step.
   */
  const ownKey = (
    kind: 'plan' | 'task',
    key: string,
    id: string | undefined,
    flowId: string,
  ): { key: string; existing?: string } => {
    let k = key;
    let other = lookup(kind, k, k === id);
    for (let n = 2; other && other.flow_id !== flowId; n++) {
      const to = `${id ?? key}~${n}`;
      if (seen[kind].has(to)) continue;
      report.renamed.push({ kind, from: k, to });
      k = to;
      other = lookup(kind, k, false);
    }
    // Stryker disable next-line ConditionalExpression: the key it was given is in seen already
    if (k !== key) seen[kind].add(k);
    return { key: k, existing: other?.id };
  };
  /** The row's id: the existing one, or a new one (kept out of later picks in this run). */
  const idFor = (existing: string | undefined, kind: Kind): string => {
    const table = TABLE[kind];
    const id = existing ?? pool[kind].pop()!;
    if (existing) report.already_imported[table]++;
    else report.created[table]++;
    return id;
  };
  const mapped = (from: string | undefined, to: string) => {
    if (!from || from === to) return;
    const said = `${from} → ${to}`;
    report.statuses_mapped[said] = (report.statuses_mapped[said] ?? 0) + 1;
  };

  // A batch of flows at a time: decide (nothing written), then write it in one transaction.
  const planFlow = (f: LegacyFile['flows'][number], fi: number): PlannedFlow => {
    const key = f.id ? fileKey('flow', f.id) : madeKey('flow', f.name, f.created_at, String(fi));
    const existingFlow = lookup('flow', key, key === f.id)?.id;
    const flowId = idFor(existingFlow, 'flow');
    const plans = f.plans.map((p, pi) => {
      const { key: pkey, existing: existingPlan } = ownKey('plan', p.id ? fileKey('plan', p.id) : madeKey('plan', key, p.title, p.created_at, String(pi)), p.id, flowId);
      const planId = idFor(existingPlan, 'plan');
      const pstatus = planStatusOf(p);
      // Said of what this run writes: a plan or task already imported (a re-run finishing a stopped import) is not mapped again.
      if (!existingPlan) mapped(p.status, pstatus);
      const tasks = p.tasks.map((t, ti) => {
        const { key: tkey, existing: existingTask } = ownKey('task', t.id ? fileKey('task', t.id) : madeKey('task', pkey, t.title, t.created_at, String(ti)), t.id, flowId);
        const taskId = idFor(existingTask, 'task');
        const status = taskStatusOf(t);
        if (!existingTask) mapped(t.status, status);
        return { key: tkey, existing: existingTask, id: taskId, t, status };
      });
      return { key: pkey, existing: existingPlan, id: planId, p, status: pstatus, tasks };
    });
    return { key, existing: existingFlow, id: flowId, f, plans };
  };
  const creates = (pf: PlannedFlow) => !pf.existing || pf.plans.some((p) => !p.existing || p.tasks.some((t) => !t.existing));
  const now = call.ws.now();
  const stamp = lastStamp();
  let firstId: string | undefined;
  let currentId: string | undefined;
  let index = 0;
  let batch: LegacyFile['flows'] = [];
  let batchTasks = 0;
  let parts = 0;
  const flush = (more: boolean) => {
    const flows = batch;
    batch = [];
    batchTasks = 0;
    const plan = () => {
      prepareBatch(flows);
      const planned = flows.map((f) => planFlow(f, index++));
      if (file.current_flow_id) currentId ??= planned.find((p) => p.f.id === file.current_flow_id)?.id;
      return planned;
    };
    if (opts.dry_run) {
      // Counted as the import counts them, so the dry run says the numbers the import then does.
      const made = new Set<string>();
      for (const pf of plan()) eachDependency(pf, report, (from, to) => !made.has(`${from} ${to}`) && Boolean(made.add(`${from} ${to}`)));
      return;
    }
    // What is already there is looked up under the write lock that writes the rest: another process
    // importing the same file at the same moment cannot commit a row in between (the insert then hit
    // UNIQUE on legacy_id, answered as a flowmcp bug); it waits, then finds the rows this one wrote.
    const planned = call.ws.write(() => {
      const planned = plan();
      if (!planned.some(creates)) return undefined;
      // The snapshot comes before the first write.
      report.snapshot ??= workspaceSnapshot(call, `before importing ${opts.source}`);
      const plansIn = planned.flatMap((pf) => pf.plans);
      const added = {
        flows: planned.filter((pf) => !pf.existing).length,
        plans: plansIn.filter((pp) => !pp.existing).length,
        tasks: plansIn.reduce((n, pp) => n + pp.tasks.filter((t) => !t.existing).length, 0),
      };
      insertingInBulk(
        db,
        () => planned.flatMap((pf) => pf.plans.map((pp) => pp.id)),
        () => {
          // The record first: search entries for these rows are written by a pass after it
          // (core/docs/search-backlog.ts), so a big import is queryable in seconds.
          deferSearchEntries(db);
          for (const pf of planned) writeFlow(call, pf, now, report, stamp);
        },
      );
      // Each batch commits on its own, so each says what it wrote in its own transaction: an import
      // stopped part-way (killed, a full disk) leaves no committed row without its event.
      record(call, {
        action: 'import',
        entity: 'flow',
        entity_id: planned[0]!.id,
        flow_id: null,
        summary: `importing ${opts.source}, part ${++parts}: ${added.flows} new flows, ${added.plans} new plans, ${added.tasks} new tasks`,
      });
      return planned;
    });
    if (!planned) return;
    firstId ??= planned[0]?.id;
    // A big file is written in parts, each committed on its own: said once, at the first, so whoever
    // stops it part-way (Ctrl-C, a closed terminal) already knows how to finish or undo it.
    if (more && parts === 1) {
      log.info(
        `importing ${opts.source} in parts: part 1 is written. If the import is stopped, run it again to finish (what is written is recognised and skipped), or undo it with: snapshot restore ${report.snapshot} --confirm`,
      );
    }
  };
  // A bigger page cache for the run (32 MB): with clustered ids a bigger one no longer pays (measured
  // 16–96 MB at 1M tasks: same time), and peak memory stays well under the 500 MB an import may use.
  let tasksDone = 0;
  const doing = opts.dry_run ? 'checking the import' : 'importing';
  const restoreCache = growPageCache(db, 32);
  try {
    for (const f of file.flows) {
      batch.push(f);
      for (const p of f.plans) batchTasks += p.tasks.length;
      if (batch.length >= BATCH_FLOWS || batchTasks >= batchTasksMax) {
        tasksDone += batchTasks;
        flush(true);
        call.progress?.(tasksDone, totalTasks, doing);
        yield 'part';
      }
    }
    flush(false);
    if (tasksDone) call.progress?.(totalTasks, totalTasks, doing);
  } finally {
    restoreCache();
  }
  if (opts.dry_run || !report.snapshot) return report;
  call.ws.write(() => {
    if (currentId) setDefaultFlow(db, currentId);
    record(call, {
      action: 'import',
      entity: 'flow',
      entity_id: firstId!, // set by the part that took the snapshot
      flow_id: null,
      summary: `imported ${opts.source} (${file.layout}): ${report.created.flows} flows, ${report.created.plans} plans, ${report.created.tasks} tasks; undo: snapshot restore ${report.snapshot}`,
    });
  });
  return report;
}

/**
 * utcTimestamp, keeping its last answer: an item's updated_at is mostly its created_at (151 of the 261
 * items in the earlier system's sample files), and a file's items come in the order they were made, so
 * much of the parsing is of the text just parsed. One per import: a time without an offset is read in
 * the machine's zone of the moment.
 */
function lastStamp(): (text: string | undefined) => string | undefined {
  let lastIn: string | undefined;
  let lastOut: string | undefined;
  return (text) => {
    // Stryker disable next-line ConditionalExpression: parsing the same text again gives the same answer
    if (text !== lastIn) {
      lastIn = text;
      lastOut = utcTimestamp(text);
    }
    return lastOut;
  };
}

function writeFlow(call: Call, pf: PlannedFlow, now: string, report: FlowImportReport, stamp: (text: string | undefined) => string | undefined): void {
  const db = call.ws.db;
  const f = pf.f;
  if (!pf.existing) {
    insertFlow(db, {
      id: pf.id,
      name: f.name.trim(), // checked by ImportedFlow, which trims
      description: f.description,
      status: f.archived ? 'archived' : 'active',
      legacy_id: pf.key,
      created_at: stamp(f.created_at) ?? now,
      updated_at: stamp(f.updated_at) ?? stamp(f.created_at) ?? now,
      revision: 1,
    });
  }
  // The last plan's position: 0 in a new flow, which has none (and no query is needed to say so).
  // Stryker disable next-line ConditionalExpression: asking of a new flow answers the same 0, one query later
  let planPos = pf.existing ? endPosition(db, PLAN_ORDER, pf.id) - 1 : 0;
  for (const pp of pf.plans) {
    const p = pp.p;
    if (!pp.existing) {
      insertPlan(db, {
        id: pp.id,
        flow_id: pf.id,
        title: p.title.trim(),
        objective: p.objective,
        status: pp.status as 'active',
        position: ++planPos,
        legacy_id: pp.key,
        created_at: stamp(p.created_at) ?? now,
        updated_at: stamp(p.updated_at) ?? stamp(p.created_at) ?? now,
        revision: 1,
      });
    }
    // Stryker disable next-line ConditionalExpression: as for plans above
    let taskPos = pp.existing ? endPosition(db, TASK_ORDER, pp.id) - 1 : 0;
    for (const pt of pp.tasks) {
      if (pt.existing) continue;
      const t = pt.t;
      const priority = priorityOf(t);
      insertTask(db, {
        id: pt.id,
        plan_id: pp.id,
        flow_id: pf.id,
        title: t.title.trim(),
        description: t.description,
        status: pt.status as 'todo',
        priority,
        position: ++taskPos,
        claimed_by: null,
        claim_expires_at: null,
        started_at: stamp(t.started_at) ?? null,
        completed_at: stamp(t.completed_at) ?? null,
        legacy_id: pt.key,
        created_at: stamp(t.created_at) ?? now,
        updated_at: stamp(t.updated_at) ?? stamp(t.created_at) ?? now,
        revision: 1,
      });
    }
  }
  eachDependency(pf, report, (from, to) => addDependency(db, from, to, now));
}

/**
 * The dependency pass of one flow: each new task's depends_on names legacy task ids of the same flow.
 * `add` makes one and says whether it was new; the report counts alike whether it writes (the import)
 * or only counts (a dry run).
 */
function eachDependency(pf: PlannedFlow, report: FlowImportReport, add: (from: string, to: string) => boolean): void {
  const byLegacy = new Map<string, string>();
  for (const pp of pf.plans) for (const pt of pp.tasks) if (pt.t.id) byLegacy.set(pt.t.id, pt.id);
  for (const pp of pf.plans) {
    for (const pt of pp.tasks) {
      if (pt.existing) continue;
      for (const dep of pt.t.depends_on) {
        const target = byLegacy.get(dep);
        // Stryker disable next-line ConditionalExpression: a task depending on itself was refused by the check before anything was written
        if (!target || target === pt.id) report.dependencies_unknown++;
        else if (add(pt.id, target)) report.created.dependencies++;
      }
    }
  }
}
