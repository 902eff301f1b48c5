// The earlier Flow system's flows.json and workflow.json, every layout it wrote (see
// shared/legacy-samples/README.md), told apart by their content and read into one shape: flows with
// plans with tasks, every id, name, status and timestamp as the file has it. Reading is lenient
// (unknown fields are kept out, not refused); deciding what to create is the importer's job.

export type Layout = 'flows-list' | 'flows-keyed' | 'flows-3.0' | 'workflow-tasks' | 'workflow-plans' | 'context' | 'current-flow';

export interface LegacyTask {
  id?: string;
  title: string;
  description: string;
  status?: string;
  priority?: string;
  created_at?: string;
  updated_at?: string;
  started_at?: string;
  completed_at?: string;
  depends_on: string[];
}

export interface LegacyPlan {
  id?: string;
  title: string;
  objective: string;
  status?: string;
  created_at?: string;
  updated_at?: string;
  tasks: LegacyTask[];
}

export interface LegacyFlow {
  id?: string;
  name: string;
  description: string;
  archived: boolean;
  created_at?: string;
  updated_at?: string;
  plans: LegacyPlan[];
}

export interface LegacyFile {
  layout: Layout;
  flows: LegacyFlow[];
  current_flow_id?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
/** A list, or an object keyed by id (the keyed layouts), as a list in file order. */
const items = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : isObj(v) ? Object.values(v).filter(isObj) : []);

function task(t: Obj): LegacyTask {
  const extra: string[] = [];
  if (str(t.summary)) extra.push(`Summary: ${str(t.summary)}`);
  const call = isObj(t.context) ? t.context : undefined;
  if (call) {
    for (const k of ['notes', 'errors'] as const) {
      const list = Array.isArray(call[k]) ? (call[k] as unknown[]) : [];
      if (list.length) extra.push(`${k === 'notes' ? 'Notes' : 'Errors'}: ${list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ')}`);
    }
  }
  // Most tasks have nothing to add: their description as it is (a big import reads a million of them, twice).
  // Stryker disable next-line ConditionalExpression: joining the description alone gives the description
  const description = extra.length ? [str(t.description) ?? '', ...extra].filter(Boolean).join('\n\n') : (str(t.description) ?? '');
  const deps = t.dependencies ?? t.depends_on;
  return {
    id: str(t.id),
    title: str(t.name) ?? str(t.title) ?? '(untitled task)',
    description,
    status: str(t.status),
    priority: str(t.priority),
    created_at: str(t.created_at) ?? str(t.created),
    updated_at: str(t.updated_at) ?? str(t.updated),
    started_at: str(t.started_at),
    completed_at: str(t.completed_at),
    depends_on: Array.isArray(deps) ? deps.map(str).filter((x): x is string => !!x) : [],
  };
}

function plan(p: Obj): LegacyPlan {
  const status = str(p.status) ?? (p.completed === true ? 'done' : undefined);
  return {
    id: str(p.id),
    title: str(p.name) ?? str(p.title) ?? '(untitled plan)',
    objective: str(p.objective) ?? str(p.description) ?? '',
    status,
    created_at: str(p.created_at) ?? str(p.created),
    updated_at: str(p.updated_at) ?? str(p.updated) ?? str(p.completed_at),
    tasks: items(p.tasks).map(task),
  };
}

function flow(f: Obj, key?: string): LegacyFlow {
  return {
    id: str(f.id) ?? key,
    name: str(f.name) ?? str(f.title) ?? key ?? '(unnamed flow)',
    description: str(f.description) ?? '',
    archived: f.archived === true || f.status === 'archived',
    created_at: str(f.created_at) ?? str(f.created),
    updated_at: str(f.updated_at) ?? str(f.updated),
    plans: items(f.plans).map(plan),
  };
}

/** A workflow.json is one project: one flow, keyed by the project's name so a later version finds it. */
function workflowFlow(name: string, created_at: string | undefined, updated_at: string | undefined, plans: LegacyPlan[]): LegacyFlow {
  return { id: `workflow:${name}`, name, description: '', archived: false, created_at, updated_at, plans };
}

/**
 * One element of a list-layout flows.json (for files read a flow at a time); what is not an object is no
 * flow, skipped as a file read whole skips it.
 */
export function listFlow(element: unknown): LegacyFlow | undefined {
  return isObj(element) ? flow(element) : undefined;
}

/** The layout of a parsed file, from its content alone. */
export function detectLayout(v: unknown): Layout | undefined {
  if (!isObj(v)) return undefined;
  if (v.memory !== undefined || v.conversation !== undefined) return 'context';
  if (Array.isArray(v.flows)) return 'flows-list'; // no version, or "2.0"
  if (isObj(v.flows)) return 'flows-3.0';
  if (Array.isArray(v.tasks) && !v.flows) return 'workflow-tasks';
  if (isObj(v.plans) || (Array.isArray(v.plans) && v.version !== undefined && !v.name)) return 'workflow-plans';
  const values = Object.values(v);
  if (values.length && values.every((x) => isObj(x) && (x.plans !== undefined || x.name !== undefined))) return 'flows-keyed';
  return undefined;
}

/** Reads a parsed flows.json / workflow.json of any layout into flows, plans and tasks. */
export function readLegacy(v: unknown, layout: Layout, source: string): LegacyFile {
  const o = v as Obj;
  switch (layout) {
    case 'flows-list':
      return { layout, flows: items(o.flows).map((f) => flow(f)), current_flow_id: str(o.current_flow_id) };
    case 'flows-3.0':
      return { layout, flows: Object.entries(o.flows as Obj).filter(([, f]) => isObj(f)).map(([k, f]) => flow(f as Obj, k)), current_flow_id: str(o.current_flow_id) };
    case 'flows-keyed':
      // Stryker disable next-line MethodExpression: detectLayout calls a file keyed only when every member is an object, so the filter keeps them all
      return { layout, flows: Object.entries(o).filter(([, f]) => isObj(f)).map(([k, f]) => flow(f as Obj, k)) };
    case 'workflow-tasks': {
      const name = str(o.project_name) ?? source;
      // A flat task list becomes one flow with a plan named "Legacy".
      const legacy: LegacyPlan = { id: `workflow:${name}:legacy`, title: 'Legacy', objective: '', created_at: str(o.created_at), updated_at: str(o.updated_at), tasks: items(o.tasks).map(task) };
      return { layout, flows: [workflowFlow(name, str(o.created_at), str(o.updated_at), [legacy])] };
    }
    case 'workflow-plans': {
      const meta = isObj(o.metadata) ? o.metadata : {};
      const name = str(meta.project_name) ?? str(meta.name) ?? str(o.project_name) ?? source;
      return { layout, flows: [workflowFlow(name, str(meta.created_at) ?? str(o.created_at), str(meta.updated_at) ?? str(o.updated_at), items(o.plans).map(plan))] };
    }
    default:
      return { layout, flows: [] };
  }
}
