// The /flow command language: every verb and noun, its arguments and flags, and the tool call it
// becomes. The parser (commands/parse.ts), the help text and the shell's completion all read this
// one table, so they cannot disagree.
import { TASK_STATUS_VERBS } from '../model/vocab.js';

export type Noun = 'flow' | 'plan' | 'task' | 'doc' | 'snapshot' | 'context' | 'config';
export type RefKind = 'flow' | 'plan' | 'task' | 'snapshot';

export interface ArgDef {
  name: string;
  /** An id, or words that name one (a title, a label) resolved by fuzzy match. */
  ref?: RefKind;
  /** Takes every remaining word (titles without quotes). */
  rest?: boolean;
  optional?: boolean;
  /** Several values (the rest of the words). */
  list?: boolean;
}

export interface FlagDef {
  to: string;
  type: 'string' | 'number' | 'boolean' | 'list';
  ref?: RefKind;
}

export interface CommandDef {
  noun: Noun | null;
  /** The first is the one help shows; the rest are accepted too. */
  verbs: string[];
  args: ArgDef[];
  flags?: Record<string, FlagDef>;
  tool: string;
  build: (a: Record<string, unknown>) => Record<string, unknown>;
  destructive?: boolean;
  help: string;
}

const status = (s: string) => (a: Record<string, unknown>) => ({ action: 'set_status', id: a.task, status: s });

export const COMMANDS: CommandDef[] = [
  // flows
  { noun: 'flow', verbs: ['add', 'create', 'new'], args: [{ name: 'name', rest: true }], flags: { description: { to: 'description', type: 'string' } }, tool: 'flow', build: (a) => ({ action: 'create', name: a.name, description: a.description }), help: 'start a new flow (and make it current)' },
  { noun: 'flow', verbs: ['list', 'ls'], args: [], flags: { status: { to: 'status', type: 'string' } }, tool: 'flow', build: (a) => ({ action: 'list', status: a.status }), help: 'list flows' },
  { noun: 'flow', verbs: ['use', 'switch', 'open', 'select'], args: [{ name: 'flow', ref: 'flow', rest: true }], tool: 'flow', build: (a) => ({ action: 'switch', id: a.flow }), help: 'make a flow current for this session' },
  { noun: 'flow', verbs: ['show', 'get'], args: [{ name: 'flow', ref: 'flow', rest: true, optional: true }], tool: 'flow', build: (a) => ({ action: 'get', id: a.flow }), help: 'a flow with its plans and progress' },
  { noun: 'flow', verbs: ['rename'], args: [{ name: 'flow', ref: 'flow' }, { name: 'name', rest: true }], tool: 'flow', build: (a) => ({ action: 'update', id: a.flow, name: a.name }), help: 'rename a flow' },
  { noun: 'flow', verbs: ['archive'], args: [{ name: 'flow', ref: 'flow', rest: true }], tool: 'flow', build: (a) => ({ action: 'archive', id: a.flow }), help: 'hide a flow without deleting it' },
  { noun: 'flow', verbs: ['delete', 'remove', 'rm'], args: [{ name: 'flow', ref: 'flow', rest: true }], tool: 'flow', destructive: true, build: (a) => ({ action: 'delete', id: a.flow, confirm: a.confirm }), help: 'delete a flow (a snapshot is taken first)' },
  // plans
  { noun: 'plan', verbs: ['add', 'create', 'new'], args: [{ name: 'title', rest: true }], flags: { objective: { to: 'objective', type: 'string' }, flow: { to: 'flow_id', type: 'string', ref: 'flow' } }, tool: 'plan', build: (a) => ({ action: 'create', title: a.title, objective: a.objective, flow_id: a.flow_id }), help: 'add a plan to the current flow (and make it current)' },
  { noun: 'plan', verbs: ['list', 'ls'], args: [], flags: { flow: { to: 'flow_id', type: 'string', ref: 'flow' } }, tool: 'plan', build: (a) => ({ action: 'list', flow_id: a.flow_id }), help: 'list the plans of the current flow' },
  { noun: 'plan', verbs: ['use', 'switch', 'open', 'select'], args: [{ name: 'plan', ref: 'plan', rest: true }], tool: 'plan', build: (a) => ({ action: 'use', id: a.plan }), help: 'make a plan current: add task then goes there' },
  { noun: 'plan', verbs: ['show', 'get'], args: [{ name: 'plan', ref: 'plan', rest: true }], tool: 'plan', build: (a) => ({ action: 'get', id: a.plan }), help: 'a plan with its progress' },
  { noun: 'plan', verbs: ['rename'], args: [{ name: 'plan', ref: 'plan' }, { name: 'title', rest: true }], tool: 'plan', build: (a) => ({ action: 'update', id: a.plan, title: a.title }), help: 'rename a plan' },
  { noun: 'plan', verbs: ['done', 'finish', 'complete'], args: [{ name: 'plan', ref: 'plan', rest: true }], tool: 'plan', build: (a) => ({ action: 'update', id: a.plan, status: 'done' }), help: 'mark a plan done' },
  { noun: 'plan', verbs: ['archive'], args: [{ name: 'plan', ref: 'plan', rest: true }], tool: 'plan', build: (a) => ({ action: 'update', id: a.plan, status: 'archived' }), help: 'archive a plan' },
  { noun: 'plan', verbs: ['move', 'reorder'], args: [{ name: 'plan', ref: 'plan' }, { name: 'position' }], tool: 'plan', build: (a) => ({ action: 'reorder', id: a.plan, position: Number(a.position) }), help: 'move a plan to a position' },
  { noun: 'plan', verbs: ['delete', 'remove', 'rm'], args: [{ name: 'plan', ref: 'plan', rest: true }], tool: 'plan', destructive: true, build: (a) => ({ action: 'delete', id: a.plan, confirm: a.confirm }), help: 'delete a plan and its tasks (a snapshot is taken first)' },
  // tasks
  {
    noun: 'task',
    verbs: ['add', 'create', 'new'],
    args: [{ name: 'title', rest: true }],
    flags: {
      priority: { to: 'priority', type: 'string' },
      plan: { to: 'plan_id', type: 'string', ref: 'plan' },
      description: { to: 'description', type: 'string' },
      depends_on: { to: 'depends_on', type: 'list', ref: 'task' },
    },
    tool: 'task',
    build: (a) => ({ action: 'create', title: a.title, priority: a.priority, plan_id: a.plan_id, description: a.description, depends_on: a.depends_on }),
    help: 'add a task to the current plan',
  },
  { noun: 'task', verbs: ['list', 'ls'], args: [], flags: { status: { to: 'status', type: 'string' }, plan: { to: 'plan_id', type: 'string', ref: 'plan' }, query: { to: 'query', type: 'string' }, limit: { to: 'limit', type: 'number' } }, tool: 'task', build: (a) => ({ action: 'list', status: a.status, plan_id: a.plan_id, query: a.query, limit: a.limit }), help: 'list tasks (--status, --plan, --query)' },
  { noun: 'task', verbs: ['show', 'get'], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: (a) => ({ action: 'get', id: a.task }), help: 'one task in full' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.done], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('done'), help: 'mark a task done' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.in_progress], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('in_progress'), help: 'mark a task in progress' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.cancelled], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('cancelled'), help: 'cancel a task (kept, not deleted)' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.blocked], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('blocked'), help: 'mark a task blocked' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.review], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('review'), help: 'mark a task ready for review' },
  { noun: 'task', verbs: [...TASK_STATUS_VERBS.todo], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('todo'), help: 'put a task back to todo' },
  { noun: 'task', verbs: ['rename'], args: [{ name: 'task', ref: 'task' }, { name: 'title', rest: true }], tool: 'task', build: (a) => ({ action: 'update', id: a.task, title: a.title }), help: 'rename a task' },
  { noun: 'task', verbs: ['edit', 'update'], args: [{ name: 'task', ref: 'task', rest: true }], flags: { priority: { to: 'priority', type: 'string' }, description: { to: 'description', type: 'string' }, title: { to: 'title', type: 'string' } }, tool: 'task', build: (a) => ({ action: 'update', id: a.task, priority: a.priority, description: a.description, title: a.title }), help: 'change a task (--priority, --description, --title)' },
  { noun: 'task', verbs: ['move'], args: [{ name: 'task', ref: 'task' }, { name: 'plan', ref: 'plan', rest: true }], tool: 'task', build: (a) => ({ action: 'move', id: a.task, plan_id: a.plan }), help: 'move a task to another plan' },
  { noun: 'task', verbs: ['depend'], args: [{ name: 'task', ref: 'task' }, { name: 'on', ref: 'task', list: true }], tool: 'task', build: (a) => ({ action: 'depend', id: a.task, depends_on: a.on }), help: 'a task waits for others' },
  { noun: 'task', verbs: ['undepend'], args: [{ name: 'task', ref: 'task' }, { name: 'on', ref: 'task', list: true }], tool: 'task', build: (a) => ({ action: 'undepend', id: a.task, depends_on: a.on }), help: 'drop dependencies' },
  { noun: 'task', verbs: ['claim'], args: [{ name: 'task', ref: 'task', rest: true, optional: true }], flags: { agent: { to: 'agent', type: 'string' } }, tool: 'task', build: (a) => ({ action: 'claim', id: a.task, agent: a.agent }), help: 'take a task (or the next ready one)' },
  { noun: 'task', verbs: ['release'], args: [{ name: 'task', ref: 'task', rest: true }], flags: { agent: { to: 'agent', type: 'string' } }, tool: 'task', build: (a) => ({ action: 'release', id: a.task, agent: a.agent }), help: 'give a claimed task back' },
  { noun: 'task', verbs: ['delete', 'remove', 'rm'], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', destructive: true, build: (a) => ({ action: 'delete', id: a.task, confirm: a.confirm }), help: 'delete a task (a snapshot is taken first)' },
  // documents
  { noun: 'doc', verbs: ['write', 'add'], args: [{ name: 'path' }, { name: 'content', rest: true }], tool: 'document', build: (a) => ({ action: 'write', path: a.path, content: a.content }), help: 'write a markdown document' },
  { noun: 'doc', verbs: ['read', 'show'], args: [{ name: 'path' }], tool: 'document', build: (a) => ({ action: 'read', path: a.path }), help: 'read a document' },
  { noun: 'doc', verbs: ['list', 'ls'], args: [], tool: 'document', build: () => ({ action: 'list' }), help: 'list documents' },
  { noun: 'doc', verbs: ['index'], args: [{ name: 'paths', list: true }], tool: 'document', build: (a) => ({ action: 'index', paths: a.paths }), help: 'index project files for search (globs)' },
  { noun: 'doc', verbs: ['delete', 'remove', 'rm'], args: [{ name: 'path' }], tool: 'document', destructive: true, build: (a) => ({ action: 'delete', path: a.path, confirm: a.confirm }), help: 'delete a document' },
  // snapshots
  { noun: 'snapshot', verbs: ['create', 'add', 'take', 'new'], args: [{ name: 'label', rest: true, optional: true }], flags: { flow: { to: 'flow_id', type: 'string', ref: 'flow' }, pinned: { to: 'pinned', type: 'boolean' } }, tool: 'snapshot', build: (a) => ({ action: 'create', label: a.label || undefined, flow_id: a.flow_id, pinned: a.pinned }), help: 'take a snapshot (of the workspace, or --flow)' },
  { noun: 'snapshot', verbs: ['list', 'ls'], args: [], tool: 'snapshot', build: () => ({ action: 'list' }), help: 'list snapshots, newest first' },
  { noun: 'snapshot', verbs: ['show'], args: [{ name: 'snapshot', ref: 'snapshot' }], tool: 'snapshot', build: (a) => ({ action: 'show', id: a.snapshot }), help: 'what a snapshot holds' },
  { noun: 'snapshot', verbs: ['diff'], args: [{ name: 'from', ref: 'snapshot' }, { name: 'to', ref: 'snapshot', optional: true }], tool: 'snapshot', build: (a) => ({ action: 'diff', from: a.from, to: a.to }), help: 'what changed since a snapshot' },
  { noun: 'snapshot', verbs: ['restore'], args: [{ name: 'snapshot', ref: 'snapshot' }], tool: 'snapshot', destructive: true, build: (a) => ({ action: 'restore', id: a.snapshot, confirm: a.confirm }), help: 'go back to a snapshot (undoable)' },
  { noun: 'snapshot', verbs: ['pin'], args: [{ name: 'snapshot', ref: 'snapshot' }], tool: 'snapshot', build: (a) => ({ action: 'pin', id: a.snapshot }), help: 'keep a snapshot forever' },
  { noun: 'snapshot', verbs: ['unpin'], args: [{ name: 'snapshot', ref: 'snapshot' }], tool: 'snapshot', build: (a) => ({ action: 'unpin', id: a.snapshot }), help: 'let retention prune it again' },
  { noun: 'snapshot', verbs: ['prune'], args: [], flags: { dry_run: { to: 'dry_run', type: 'boolean' } }, tool: 'snapshot', build: (a) => ({ action: 'prune', dry_run: a.dry_run, confirm: a.confirm }), destructive: true, help: 'apply retention' },
  // context
  {
    noun: 'context',
    verbs: ['save', 'add'],
    args: [],
    flags: {
      summary: { to: 'summary', type: 'string' },
      decision: { to: 'decision', type: 'string' },
      why: { to: 'why', type: 'string' },
      question: { to: 'question', type: 'string' },
      next_step: { to: 'next_step', type: 'string' },
    },
    tool: 'context',
    build: (a) => ({
      action: 'save',
      summary: a.summary,
      decision: a.decision ? (a.why ? { what: a.decision, why: a.why } : a.decision) : undefined,
      question: a.question,
      next_step: a.next_step,
    }),
    help: 'save a --summary, --decision (--why), --question or --next-step',
  },
  { noun: 'context', verbs: ['show', 'get'], args: [], tool: 'context', build: () => ({ action: 'get' }), help: "the current flow's context" },
  { noun: 'context', verbs: ['history'], args: [], tool: 'context', build: () => ({ action: 'history' }), help: 'every context entry, newest first' },
  { noun: 'context', verbs: ['resume'], args: [], tool: 'context', build: () => ({ action: 'resume' }), help: 'a briefing to resume the work' },
  { noun: 'config', verbs: ['show', 'get'], args: [], tool: 'config', build: () => ({}), help: 'the settings in .flow/config.json (and which were ignored), and where your own config is' },
  // verbs without a noun
  { noun: null, verbs: ['next'], args: [], tool: 'task', build: () => ({ action: 'next' }), help: 'the best task to do now' },
  { noun: null, verbs: ['search', 'find'], args: [{ name: 'query', rest: true }], flags: { kind: { to: 'kind', type: 'string' }, k: { to: 'k', type: 'number' } }, tool: 'search', build: (a) => ({ query: a.query, kind: a.kind, k: a.k }), help: 'search documents, tasks, plans and context' },
  { noun: null, verbs: ['done', 'finish', 'complete'], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('done'), help: 'mark a task done' },
  { noun: null, verbs: ['start', 'begin'], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('in_progress'), help: 'start a task' },
  { noun: null, verbs: ['skip'], args: [{ name: 'task', ref: 'task', rest: true }], tool: 'task', build: status('cancelled'), help: 'cancel a task' },
  { noun: null, verbs: ['resume'], args: [], tool: 'context', build: () => ({ action: 'resume' }), help: 'a briefing to resume the work' },
  { noun: null, verbs: ['import'], args: [{ name: 'file', rest: true }], flags: { flow: { to: 'flow_id', type: 'string', ref: 'flow' } }, tool: 'import', build: (a) => ({ file: a.file, flow_id: a.flow_id }), help: 'import an old flows.json / workflow.json / context.json, or a flowmcp export (--dry-run first)' },
  { noun: null, verbs: ['decide', 'decision'], args: [{ name: 'what', rest: true }], flags: { why: { to: 'why', type: 'string' } }, tool: 'context', build: (a) => ({ action: 'save', decision: a.why ? { what: a.what, why: a.why } : a.what }), help: 'record a decision (--why)' },
];

export const NOUNS: Noun[] = ['flow', 'plan', 'task', 'doc', 'snapshot', 'context', 'config'];
export const NOUN_ALIASES: Record<string, Noun> = {
  flows: 'flow', plans: 'plan', tasks: 'task', todo: 'task', docs: 'doc', document: 'doc', documents: 'doc',
  snapshots: 'snapshot', snap: 'snapshot', call: 'context', settings: 'config',
};
/** Verbs the grammar knows outside the table. */
export const SPECIAL_VERBS = ['help', 'status', 'undo'];

function usageOf(d: CommandDef): string {
  const words = [d.noun === null ? d.verbs[0] : `${d.verbs[0]} ${d.noun}`];
  for (const a of d.args) words.push(a.optional ? `[${a.name}]` : `<${a.name}${a.list ? '…' : ''}>`);
  for (const f of Object.keys(d.flags ?? {})) words.push(`[--${f.replace(/_/g, '-')}${d.flags![f]!.type === 'boolean' ? '' : ' …'}]`);
  if (d.destructive) words.push('--confirm');
  return `/flow ${words.join(' ')}`;
}

export function usage(d: CommandDef): string {
  return usageOf(d);
}

/** Where the summaries of `/flow help` start; a longer usage puts its summary on the next line, there. */
const HELP_COLUMN = 52;

/** One command in `/flow help`: usage, then what it does, every summary in the same column. */
function helpRow(usageText: string, summary: string): string[] {
  if (usageText.length < HELP_COLUMN - 1) return [`${usageText.padEnd(HELP_COLUMN)}${summary}`];
  return [usageText, `${' '.repeat(HELP_COLUMN)}${summary}`];
}

/** Whether `/flow help <topic>` has anything to say: a noun, or a verb of its own (next, search, …). */
export function isHelpTopic(topic: string): boolean {
  const t = NOUN_ALIASES[topic.toLowerCase()] ?? topic.toLowerCase();
  return COMMANDS.some((d) => d.noun === t || (d.noun === null && d.verbs.includes(t)));
}

/** `/flow help [topic]`: generated from the table above. */
export function helpText(topic?: string): string {
  const t = topic ? (NOUN_ALIASES[topic.toLowerCase()] ?? topic.toLowerCase()) : undefined;
  const defs = COMMANDS.filter((d) => !t || d.noun === t || (d.noun === null && d.verbs.includes(t)));
  if (t && defs.length === 0) return `No help topic "${topic}". Topics: ${NOUNS.join(', ')}, next, search, status, undo.`;
  const lines = defs.flatMap((d) => helpRow(usageOf(d), d.help));
  if (!t) {
    lines.push(...helpRow('/flow status', 'where things stand: current flow, plan, progress, next'));
    lines.push(...helpRow('/flow undo restore | undo delete', 'restore the snapshot the last restore or delete took'));
    lines.push(...helpRow('/flow help [topic]', "this list, or one noun's commands"));
    lines.push('', 'Verb and noun may come in either order (/flow snapshot create = /flow create snapshot). Ids or words from a title name things;', 'plain language works too: "add a task to write tests to the auth plan", "mark the login task done", "what\'s next?".', '--dry-run shows what a command would do without doing it.');
  }
  return lines.join('\n');
}
