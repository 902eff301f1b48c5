// Model-based property test: random sequences of operations — flows, plans and tasks created, updated,
// re-statused and deleted; flowmcp documents written and deleted; project files written, indexed,
// edited and re-indexed; workspace snapshots taken, restored, and restores undone — run against flowmcp
// (in-process, through the same tool dispatch the MCP server uses, on a real SQLite file in a temp dir)
// and against a small in-memory model of what the state should be. After every step they must agree:
// every acknowledged write is there, every deleted or restored-away thing is gone, and search finds
// exactly the live items (each by a word no other item ever used) and never returns a dead one.
//
// fast-check shrinks a failure to a minimal sequence of commands and prints it with its seed.
// `npm test` runs 100 sequences of up to 30 steps; `npm run test:model` runs 1000 of up to 40
// (FLOWMCP_MODEL_RUNS, FLOWMCP_MODEL_MAX_COMMANDS to choose, FLOWMCP_MODEL_SEED=n to replay a seed).
import fc from 'fast-check';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetStates } from '../../src/core/snapshots/capture.js';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { asyncCaller } from '../helpers/call-async.js';
import { tempDir, tempWorkspace } from '../helpers/workspace.js';

const RUNS = Number(process.env.FLOWMCP_MODEL_RUNS ?? 100);
const MAX_COMMANDS = Number(process.env.FLOWMCP_MODEL_MAX_COMMANDS ?? 30);
const SEED = process.env.FLOWMCP_MODEL_SEED ? Number(process.env.FLOWMCP_MODEL_SEED) : undefined;

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
const FLOW_DOCS = ['notes/a.md', 'notes/b.md', 'notes/deep/c.md'];
const PROJECT_FILES = ['docs/one.md', 'docs/two.md', 'README.md'];

// ---------------------------------------------------------------------------------------------------
// The model

interface ProjectDoc {
  /** The text the index must hold once it has looked at the file again. */
  content: string;
  /** Texts the index may still hold until the next index/reindex (after an edit or a restore). */
  stale: string[];
  /**
   * Came back into the index through a restore: the file's text at that moment. Cleared once the index
   * has taken a different text (see the known bug above: neither `document index` nor `reindex` looks
   * at the text again while it hashes the same).
   */
  restoredAs?: string;
}

interface State {
  flows: Map<string, { name: string }>;
  plans: Map<string, { title: string; flowId: string }>;
  tasks: Map<string, { title: string; status: string; planId: string }>;
  /** flowmcp documents: path → text. */
  docs: Map<string, string>;
  /** Indexed project files: path → what the index should hold. */
  indexed: Map<string, ProjectDoc>;
}

interface Model extends State {
  /** Project files on disk (restores never touch them): path → text. */
  files: Map<string, string>;
  /** Workspace snapshots this run took, with the state each captured. */
  snapshots: { id: string; state: State }[];
  /** The last restore's "before restore" snapshot: what undoing it brings back. */
  undo?: { id: string; state: State };
  /** Every id and word ever used, so dead ones can be looked for too. */
  everIds: Set<string>;
  everWords: Set<string>;
  wordCounter: number;
  mtimeCounter: number;
  /** Whether the check lets the known bug below pass (off when replaying it on purpose). */
}

const cloneState = (m: State): State => ({
  flows: new Map([...m.flows].map(([k, v]) => [k, { ...v }])),
  plans: new Map([...m.plans].map(([k, v]) => [k, { ...v }])),
  tasks: new Map([...m.tasks].map(([k, v]) => [k, { ...v }])),
  docs: new Map(m.docs),
  indexed: new Map([...m.indexed].map(([k, v]) => [k, { ...v, stale: [...v.stale] }])),
});

/** A word no other text in this run has: letters only, so no stemmer or tokenizer splits or merges it. */
function freshWord(m: Model): string {
  let n = m.wordCounter++;
  let s = '';
  do {
    s += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  const w = `zq${s}vx`;
  m.everWords.add(w);
  return w;
}

const wordsOf = (text: string) => text.match(/zq[a-z]+vx/g) ?? [];
const pick = <T>(xs: T[], i: number): T => xs[i % xs.length]!;

// ---------------------------------------------------------------------------------------------------
// The system under test

interface Real {
  dir: string;
  ws: Workspace;
  call: ReturnType<typeof asyncCaller>;
}

/** Opens (or reopens) the project as a new process would: a fresh Workspace and session on the same files. */
function open(r: { dir: string; ws?: Workspace }): Real {
  const ws = Workspace.open(r.dir);
  return { dir: r.dir, ws, call: asyncCaller({ ws, session: ws.session('model-agent') }) };
}

async function ok(r: Real, tool: string, args: Record<string, unknown>) {
  return r.call.ok(tool, args);
}

/** Writes a project file the way an editor would; each write gets a later mtime than the one before. */
function writeProjectFile(m: Model, r: Real, path: string, text: string) {
  const file = join(r.dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  // File systems stamp mtimes with a coarse clock: two writes of the same size within a few ms would
  // look unchanged to any mtime+size check. A user's edits are seconds apart; say so explicitly.
  const t = 1_700_000_000 + ++m.mtimeCounter;
  utimesSync(file, t, t);
}

/** What the search tool returns for `word` (kind), as fused results. */
async function searchWord(r: Real, word: string, kind: 'document' | 'task' | 'plan') {
  const res = await ok(r, 'search', { query: word, kind, k: 50 });
  return res.results as { kind: string; id: string; path?: string; title: string; matched: string[] }[];
}

// ---------------------------------------------------------------------------------------------------
// The check after every step

async function verify(m: Model, r: Real): Promise<void> {
  // Every flow, plan and task ever seen: live ones read back as the model says, dead ones are gone.
  for (const id of m.everIds) {
    const tool = id.startsWith('f-') ? 'flow' : id.startsWith('p-') ? 'plan' : 'task';
    const live = tool === 'flow' ? m.flows.get(id) : tool === 'plan' ? m.plans.get(id) : m.tasks.get(id);
    const o = await r.call.raw(tool, { action: 'get', id });
    if (!live) {
      expect(o.isError, `${tool} ${id} was deleted or restored away, but get still finds it`).toBe(true);
      expect((o.structured.error as { code: string }).code).toBe('not_found');
      continue;
    }
    expect(o.isError, `${tool} ${id} is live, but get fails: ${JSON.stringify(o.structured.error)}`).toBe(false);
    const row = o.structured[tool] as Record<string, unknown>;
    if (tool === 'flow') expect(row.name).toBe((live as { name: string }).name);
    if (tool === 'plan') expect({ title: row.title, flow: row.flow_id }).toEqual({ title: (live as { title: string }).title, flow: (live as { flowId: string }).flowId });
    if (tool === 'task') {
      const t = live as { title: string; status: string; planId: string };
      expect({ title: row.title, status: row.status, plan: row.plan_id }).toEqual({ title: t.title, status: t.status, plan: t.planId });
    }
  }
  // Listing agrees too (nothing the model does not know about, e.g. a flow resurrected by a restore).
  const flows = (await ok(r, 'flow', { action: 'list', limit: 100 })).flows as { id: string }[];
  expect(flows.map((f) => f.id).sort()).toEqual([...m.flows.keys()].sort());

  // Documents: exactly the model's, flowmcp ones with exactly the model's text (and file).
  const listed = (await ok(r, 'document', { action: 'list', limit: 100 })).documents as { path: string; source: string }[];
  expect(listed.map((d) => `${d.source}:${d.path}`).sort()).toEqual(
    [...[...m.docs.keys()].map((p) => `flow:${p}`), ...[...m.indexed.keys()].map((p) => `project:${p}`)].sort(),
  );
  for (const [path, text] of m.docs) {
    expect((await ok(r, 'document', { action: 'read', path })).content, `document ${path}`).toBe(text);
    expect(readFileSync(join(r.dir, '.flow', 'documents', path), 'utf8')).toBe(text);
  }
  for (const path of FLOW_DOCS) if (!m.docs.has(path)) expect(existsSync(join(r.dir, '.flow', 'documents', path)), `${path} was deleted`).toBe(false);

  // Search: for every word ever used, the full-text hits are exactly the live items holding it now,
  // and no result at all (text or vector) is a dead item.
  const liveDocWords = new Map<string, string>(); // word → path that must be found by it
  const mayDocWords = new Map<string, string>(); // word → path that may (not must) be found by it
  // Project files the index has not looked at again since an edit or a restore: found by one of
  // their texts (the current one or an earlier one), whichever the index holds right now.
  const foundByOne = new Map<string, boolean>();
  for (const [path, text] of m.docs) for (const w of wordsOf(text)) liveDocWords.set(w, path);
  for (const [path, d] of m.indexed) {
    if (d.stale.length === 0) for (const w of wordsOf(d.content)) liveDocWords.set(w, path);
    else {
      for (const w of [d.content, ...d.stale].flatMap(wordsOf)) mayDocWords.set(w, path);
      foundByOne.set(path, false);
    }
  }
  const livePaths = new Set([...m.docs.keys(), ...m.indexed.keys()]);
  const liveTaskWords = new Map<string, string>();
  for (const [id, t] of m.tasks) for (const w of wordsOf(t.title)) liveTaskWords.set(w, id);
  const livePlanWords = new Map<string, string>();
  for (const [id, p] of m.plans) for (const w of wordsOf(p.title)) livePlanWords.set(w, id);

  for (const word of m.everWords) {
    const docs = await searchWord(r, word, 'document');
    for (const hit of docs) expect(livePaths.has(hit.path!), `search "${word}" returned ${hit.path}, which is not a live document`).toBe(true);
    const textDocs = docs.filter((h) => h.matched.includes('text')).map((h) => h.path!);
    const must = liveDocWords.get(word);
    const may = mayDocWords.get(word);
    if (must) expect(textDocs, `search "${word}" must find ${must} by full text`).toEqual([must]);
    else if (may) {
      expect(textDocs.every((p) => p === may), `search "${word}" found ${textDocs.join(', ')}`).toBe(true);
      if (textDocs.includes(may) && foundByOne.has(may)) foundByOne.set(may, true);
    }
    else expect(textDocs, `search "${word}": no live document holds it`).toEqual([]);

    for (const [kind, live, words] of [
      ['task', m.tasks, liveTaskWords],
      ['plan', m.plans, livePlanWords],
    ] as const) {
      const hits = await searchWord(r, word, kind);
      for (const hit of hits) expect((live as Map<string, unknown>).has(hit.id), `search "${word}" returned ${kind} ${hit.id}, which is not live`).toBe(true);
      const text = hits.filter((h) => h.matched.includes('text')).map((h) => h.id);
      const owner = words.get(word);
      expect(text, `search "${word}" (${kind})`).toEqual(owner ? [owner] : []);
    }
  }
  for (const [path, found] of foundByOne) expect(found, `indexed project file ${path} is found by none of its texts`).toBe(true);
}

// ---------------------------------------------------------------------------------------------------
// Commands

type Cmd = fc.AsyncCommand<Model, Real>;

class CreateFlow implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const name = `flow ${freshWord(m)}`;
    const f = (await ok(r, 'flow', { action: 'create', name })).flow;
    m.flows.set(f.id, { name });
    m.everIds.add(f.id);
    await verify(m, r);
  }
  toString = () => 'flow create';
}

class UpdateFlow implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.flows.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.flows.keys()], this.i);
    const name = `flow ${freshWord(m)}`;
    await ok(r, 'flow', { action: 'update', id, name });
    m.flows.get(id)!.name = name;
    await verify(m, r);
  }
  toString = () => `flow update #${this.i}`;
}

class DeleteFlow implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.flows.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.flows.keys()], this.i);
    await ok(r, 'flow', { action: 'delete', id, confirm: true });
    m.flows.delete(id);
    for (const [pid, p] of m.plans) if (p.flowId === id) m.plans.delete(pid);
    for (const [tid, t] of m.tasks) if (!m.plans.has(t.planId)) m.tasks.delete(tid);
    await verify(m, r);
  }
  toString = () => `flow delete #${this.i}`;
}

class CreatePlan implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.flows.size > 0;
  async run(m: Model, r: Real) {
    const flowId = pick([...m.flows.keys()], this.i);
    const title = `plan ${freshWord(m)}`;
    const p = (await ok(r, 'plan', { action: 'create', title, flow_id: flowId })).plan;
    m.plans.set(p.id, { title, flowId });
    m.everIds.add(p.id);
    await verify(m, r);
  }
  toString = () => `plan create in flow #${this.i}`;
}

class UpdatePlan implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.plans.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.plans.keys()], this.i);
    const title = `plan ${freshWord(m)}`;
    await ok(r, 'plan', { action: 'update', id, title });
    m.plans.get(id)!.title = title;
    await verify(m, r);
  }
  toString = () => `plan update #${this.i}`;
}

class DeletePlan implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.plans.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.plans.keys()], this.i);
    await ok(r, 'plan', { action: 'delete', id, confirm: true });
    m.plans.delete(id);
    for (const [tid, t] of m.tasks) if (t.planId === id) m.tasks.delete(tid);
    await verify(m, r);
  }
  toString = () => `plan delete #${this.i}`;
}

class CreateTask implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.plans.size > 0;
  async run(m: Model, r: Real) {
    const planId = pick([...m.plans.keys()], this.i);
    const title = `task ${freshWord(m)}`;
    const t = (await ok(r, 'task', { action: 'create', title, plan_id: planId })).task;
    m.tasks.set(t.id, { title, status: 'todo', planId });
    m.everIds.add(t.id);
    await verify(m, r);
  }
  toString = () => `task create in plan #${this.i}`;
}

class UpdateTask implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.tasks.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.tasks.keys()], this.i);
    const title = `task ${freshWord(m)}`;
    await ok(r, 'task', { action: 'update', id, title });
    m.tasks.get(id)!.title = title;
    await verify(m, r);
  }
  toString = () => `task update #${this.i}`;
}

class SetStatus implements Cmd {
  constructor(
    readonly i: number,
    readonly status: (typeof STATUSES)[number],
  ) {}
  check = (m: Readonly<Model>) => m.tasks.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.tasks.keys()], this.i);
    await ok(r, 'task', { action: 'set_status', id, status: this.status });
    m.tasks.get(id)!.status = this.status;
    await verify(m, r);
  }
  toString = () => `task set_status #${this.i} ${this.status}`;
}

class DeleteTask implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.tasks.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.tasks.keys()], this.i);
    await ok(r, 'task', { action: 'delete', id, confirm: true });
    m.tasks.delete(id);
    await verify(m, r);
  }
  toString = () => `task delete #${this.i}`;
}

class WriteDoc implements Cmd {
  constructor(
    readonly p: number,
    readonly link: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const path = pick(FLOW_DOCS, this.p);
    const content = `# Note\n\nAbout ${freshWord(m)} and more.\n`;
    const flows = [...m.flows.keys()];
    const link = flows.length && this.link % 2 ? { flow_id: pick(flows, this.link) } : {};
    await ok(r, 'document', { action: 'write', path, content, ...link });
    m.docs.set(path, content);
    await verify(m, r);
  }
  toString = () => `document write ${pick(FLOW_DOCS, this.p)}${this.link % 2 ? ` (linked to flow #${this.link})` : ''}`;
}

class DeleteDoc implements Cmd {
  constructor(readonly p: number) {}
  check = (m: Readonly<Model>) => m.docs.size > 0;
  async run(m: Model, r: Real) {
    const path = pick([...m.docs.keys()], this.p);
    await ok(r, 'document', { action: 'delete', path, confirm: true });
    m.docs.delete(path);
    await verify(m, r);
  }
  toString = () => `document delete #${this.p}`;
}

/** The user writes (or edits) a project file; the index notices on the next index/reindex. */
class EditProjectFile implements Cmd {
  constructor(readonly p: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const path = pick(PROJECT_FILES, this.p);
    const content = `# Project ${path}\n\nThis file says ${freshWord(m)}.\n`;
    writeProjectFile(m, r, path, content);
    m.files.set(path, content);
    const d = m.indexed.get(path);
    if (d) m.indexed.set(path, { content, stale: [...d.stale, d.content], restoredAs: d.restoredAs });
    await verify(m, r);
  }
  toString = () => `edit project file ${pick(PROJECT_FILES, this.p)}`;
}

/** A project file's entry once the index has read it again. */
function indexedNow(m: Model, path: string, d: ProjectDoc | undefined): ProjectDoc {
  const text = m.files.get(path)!;
  return { content: text, stale: [], restoredAs: d?.restoredAs === text ? text : undefined };
}

class IndexFile implements Cmd {
  constructor(readonly p: number) {}
  check = (m: Readonly<Model>) => m.files.size > 0;
  async run(m: Model, r: Real) {
    const path = pick([...m.files.keys()].sort(), this.p);
    await ok(r, 'document', { action: 'index', paths: [path] });
    const d = m.indexed.get(path);
    m.indexed.set(path, indexedNow(m, path, d));
    await verify(m, r);
  }
  toString = () => `document index #${this.p}`;
}

class Reindex implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    await ok(r, 'document', { action: 'reindex' });
    for (const [path, d] of m.indexed) m.indexed.set(path, indexedNow(m, path, d));
    await verify(m, r);
  }
  toString = () => 'document reindex';
}

class Snapshot implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const s = (await ok(r, 'snapshot', { action: 'create' })).snapshot;
    m.snapshots.push({ id: s.id, state: cloneState(m) });
    await verify(m, r);
  }
  toString = () => 'snapshot create';
}

/** Brings the model to a snapshot's state: project files are looked at again (they were not captured). */
function restoreModel(m: Model, target: State) {
  const s = cloneState(target);
  m.flows = s.flows;
  m.plans = s.plans;
  m.tasks = s.tasks;
  m.docs = s.docs;
  m.indexed = new Map(
    [...s.indexed].map(([path, d]) => {
      const now = m.files.get(path)!;
      const stale = [...new Set([d.content, ...d.stale, ...(m.indexed.get(path) ? [m.indexed.get(path)!.content, ...m.indexed.get(path)!.stale] : [])])].filter((x) => x !== now);
      // Only a file the restore put back into the index meets the known bug; one it kept is fine.
      const before = m.indexed.get(path);
      return [path, { content: now, stale, restoredAs: before ? before.restoredAs : now }];
    }),
  );
}

class Restore implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.snapshots.length > 0;
  async run(m: Model, r: Real) {
    const target = pick(m.snapshots, this.i);
    const res = await ok(r, 'snapshot', { action: 'restore', id: target.id, confirm: true });
    expect(res.undo_snapshot).toMatch(/^s-/);
    m.undo = { id: res.undo_snapshot, state: cloneState(m) };
    restoreModel(m, target.state);
    await verify(m, r);
  }
  toString = () => `snapshot restore #${this.i}`;
}

class UndoRestore implements Cmd {
  check = (m: Readonly<Model>) => m.undo !== undefined;
  async run(m: Model, r: Real) {
    const undo = m.undo!;
    const res = await ok(r, 'snapshot', { action: 'restore', id: undo.id, confirm: true });
    m.undo = { id: res.undo_snapshot, state: cloneState(m) };
    restoreModel(m, undo.state);
    await verify(m, r);
  }
  toString = () => 'undo the last restore';
}

/** The project is closed and opened again (a restarted server): everything acknowledged is still there. */
class Reopen implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    r.ws.close();
    forgetStates();
    const again = open(r);
    r.ws = again.ws;
    r.call = again.call;
    await verify(m, r);
  }
  toString = () => 'close and reopen the project';
}

const nat = fc.nat({ max: 7 });
const commands = [
  fc.constant(new CreateFlow()),
  nat.map((i) => new UpdateFlow(i)),
  nat.map((i) => new DeleteFlow(i)),
  nat.map((i) => new CreatePlan(i)),
  nat.map((i) => new UpdatePlan(i)),
  nat.map((i) => new DeletePlan(i)),
  nat.map((i) => new CreateTask(i)),
  nat.map((i) => new UpdateTask(i)),
  fc.tuple(nat, fc.constantFrom(...STATUSES)).map(([i, s]) => new SetStatus(i, s)),
  nat.map((i) => new DeleteTask(i)),
  fc.tuple(nat, nat).map(([p, l]) => new WriteDoc(p, l)),
  nat.map((i) => new DeleteDoc(i)),
  nat.map((i) => new EditProjectFile(i)),
  nat.map((i) => new IndexFile(i)),
  fc.constant(new Reindex()),
  fc.constant(new Snapshot()),
  nat.map((i) => new Restore(i)),
  fc.constant(new UndoRestore()),
  fc.constant(new Reopen()),
];

function emptyModel(): Model {
  return {
    flows: new Map(),
    plans: new Map(),
    tasks: new Map(),
    docs: new Map(),
    indexed: new Map(),
    files: new Map(),
    snapshots: [],
    everIds: new Set(),
    everWords: new Set(),
    wordCounter: 0,
    mtimeCounter: 0,
  };
}

/** Runs one sequence of commands on a fresh project; the workspace is closed and removed afterwards. */
async function runSequence(cmds: Iterable<Cmd>): Promise<void> {
  const real = open({ dir: tempDir('flowmcp-model-') });
  try {
    await fc.asyncModelRun(() => ({ model: emptyModel(), real }), cmds);
  } finally {
    real.ws.close();
    rmSync(real.dir, { recursive: true, force: true });
    forgetStates();
  }
}

describe('model-based: flowmcp agrees with a model of its state after every step', () => {
  it(
    `${RUNS} random sequences of up to ${MAX_COMMANDS} operations`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max' }), (cmds) => runSequence(cmds)),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    },
    Math.max(120_000, RUNS * 1_500),
  );

  // The bug this test found (issue #13), kept as regressions: first the minimal sequence fast-check
  // shrank it to, replayed through the same model and checks.
  it('regression: [snapshot create, edit project file docs/one.md, document index, snapshot restore, undo the last restore]', async () => {
    await runSequence([new Snapshot(), new EditProjectFile(0), new IndexFile(0), new Restore(0), new UndoRestore()]);
  });

  // Then the same as a user meets it: neither reindex nor indexing the file again brings it back.
  it('regression: a project file brought back by undoing a restore is found by search, and reindex keeps it so', async () => {
    const t = tempWorkspace();
    try {
      const c = asyncCaller(t.call);
      const found = async () =>
        ((await c.ok('search', { query: 'zqbvx', kind: 'document' })).results as { path: string; matched: string[] }[]).filter((h) => h.matched.includes('text')).map((h) => h.path);
      const snap = (await c.ok('snapshot', { action: 'create' })).snapshot.id;
      writeFileSync(join(t.dir, 'README.md'), '# Project\n\nThis file says zqbvx.\n');
      await c.ok('document', { action: 'index', paths: ['README.md'] });
      expect(await found()).toEqual(['README.md']);
      const undo = (await c.ok('snapshot', { action: 'restore', id: snap, confirm: true })).undo_snapshot;
      expect(await found()).toEqual([]); // restored to before it was indexed
      await c.ok('snapshot', { action: 'restore', id: undo, confirm: true }); // undo: README.md is indexed again
      const docs = (await c.ok('document', { action: 'list' })).documents as { path: string }[];
      expect(docs.map((d) => d.path)).toEqual(['README.md']);
      expect(await found()).toEqual(['README.md']);
      // Before the fix both said "unchanged" (the text hashed as the restored row said) and wrote no chunks.
      await c.ok('document', { action: 'reindex' });
      await c.ok('document', { action: 'index', paths: ['README.md'] });
      expect(await found()).toEqual(['README.md']);
    } finally {
      t.cleanup();
      forgetStates();
    }
  });
});
