// Incremental snapshot reads (live-state.ts, store/state-changes.ts): after any sequence of changes
// made through the tools (and one by a bare SQL statement, as another process would), a state read
// from the kept one and the change log is exactly the state read whole — same rows, same order, same
// JSON — for each flow and for the workspace; the snapshots written from such reads read back as
// that state; and a database whose change-log trigger was dropped is read whole.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { captureState, forgetStates, loadState, rememberedState, stateJson } from '../../../src/core/snapshots/capture.js';
import { derivedFrom } from '../../../src/core/snapshots/live-state.js';
import { readScopeRows, type Scope, type SnapshotState } from '../../../src/store/snapshot-state.js';
import { getSnapshot } from '../../../src/store/snapshots.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

afterEach(() => forgetStates());

/** The scope read whole, with documents compared without their text's blob (captureState adds it). */
function wholeState(t: TempWorkspace, scope: Scope): SnapshotState {
  return t.ws.db.transaction(() => readScopeRows(t.ws.db, scope))();
}

function expectSame(read: SnapshotState, whole: SnapshotState): void {
  const noBlob = (s: SnapshotState) => ({ ...s, documents: Object.fromEntries(Object.entries(s.documents).map(([k, d]) => [k, { ...d, blob: null }])) });
  // Same text, so same order too: the hash a snapshot is written with is of this text.
  expect(JSON.stringify(noBlob(read))).toBe(JSON.stringify(noBlob(whole)));
  expect(stateJson(read)).toBe(JSON.stringify(read));
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), plan: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('status' as const), task: fc.nat(), status: fc.constantFrom('todo', 'in_progress', 'done', 'blocked', 'cancelled') }),
  fc.record({ kind: fc.constant('rename' as const), task: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), task: fc.nat(), plan: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), task: fc.nat() }),
  fc.record({ kind: fc.constant('deletePlan' as const), plan: fc.nat() }),
  fc.record({ kind: fc.constant('depend' as const), task: fc.nat(), on: fc.nat() }),
  fc.record({ kind: fc.constant('context' as const), flow: fc.nat() }),
  fc.record({ kind: fc.constant('document' as const), task: fc.nat(), n: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant('snapshot' as const), flow: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const), back: fc.nat() }),
  fc.record({ kind: fc.constant('bareSql' as const), task: fc.nat() }),
  // What a new process (a CLI command) starts with: nothing kept; its first snapshot of a flow starts
  // from the previous snapshot's state and the mark its payload holds.
  fc.record({ kind: fc.constant('newProcess' as const) }),
);

describe('a state read from the kept one and the change log', () => {
  it('is the state read whole, after any changes, for each flow and the workspace; its snapshots read back as it', () => {
    let derived = 0;
    let reads = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), (ops) => {
        forgetStates();
        const t = tempWorkspace();
        try {
          const c = caller(t.call);
          const flows = ['Checkout', 'Search'].map((name) => c.ok('flow', { action: 'create', name }).flow.id as string);
          for (const f of flows) for (const title of ['Build', 'Ship']) c.ok('plan', { action: 'create', flow_id: f, title });
          const plans = () => (t.ws.db.prepare('SELECT id FROM plans ORDER BY id').all() as { id: string }[]).map((r) => r.id);
          const tasks = () => (t.ws.db.prepare('SELECT id FROM tasks ORDER BY id').all() as { id: string }[]).map((r) => r.id);
          for (const p of plans()) c.ok('task', { action: 'create', plan_id: p, tasks: [{ title: 'a' }, { title: 'b' }] });
          const scopes: Scope[] = [...flows.map((flowId) => ({ kind: 'flow' as const, flowId })), { kind: 'workspace' }];
          const snapshots: string[] = [];
          const taken = new Map<string, SnapshotState>();
          const check = () => {
            for (const scope of scopes) {
              if (scope.kind === 'flow' && !t.ws.db.prepare('SELECT 1 FROM flows WHERE id = ?').get(scope.flowId)) continue;
              const read = captureState(t.call, scope);
              reads++;
              if (derivedFrom(read)) derived++;
              expectSame(read, wholeState(t, scope));
            }
          };
          check();
          const pick = <T,>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
          for (const o of ops) {
            const task = 'task' in o ? pick(tasks(), o.task) : undefined;
            const plan = 'plan' in o ? pick(plans(), o.plan) : undefined;
            switch (o.kind) {
              case 'create':
                if (plan) c.ok('task', { action: 'create', plan_id: plan, tasks: Array.from({ length: o.n }, (_, i) => ({ title: `new ${i}` })) });
                break;
              case 'status':
                if (task) c.raw('task', { action: 'set_status', id: task, status: o.status }); // some moves are refused (done → todo needs reopen): fine
                break;
              case 'rename':
                if (task) c.ok('task', { action: 'update', id: task, title: `renamed ${o.task}` });
                break;
              case 'move':
                if (task && plan) c.raw('task', { action: 'move', id: task, plan_id: plan }); // a task with dependencies stays in its flow: refused, fine
                break;
              case 'delete':
                if (task) c.ok('task', { action: 'delete', id: task, confirm: true });
                break;
              case 'deletePlan':
                if (plan && plans().length > 1) c.ok('plan', { action: 'delete', id: plan, confirm: true });
                break;
              case 'depend': {
                const on = pick(tasks(), o.on);
                if (task && on && on !== task) c.raw('task', { action: 'depend', id: task, depends_on: [on] }); // a cycle is refused: fine
                break;
              }
              case 'context':
                c.ok('context', { action: 'save', flow_id: flows[o.flow % 2], decision: { what: `decided ${o.flow}` }, files: ['src/a.ts'] });
                break;
              case 'document':
                if (task) c.ok('document', { action: 'write', path: `notes/n${o.n}.md`, content: `# Note ${o.n}\n\n${task}`, task_id: task });
                break;
              case 'snapshot': {
                const id = c.ok('snapshot', { action: 'create', flow_id: flows[o.flow % 2] }).snapshot.id as string;
                snapshots.push(id);
                taken.set(id, wholeState(t, { kind: 'flow', flowId: flows[o.flow % 2]! }));
                break;
              }
              case 'restore': {
                const id = pick(snapshots, o.back);
                if (id) c.ok('snapshot', { action: 'restore', id, confirm: true });
                break;
              }
              case 'newProcess':
                forgetStates();
                break;
              case 'bareSql':
                // Another process's write, not through this process at all.
                if (task) t.ws.db.prepare("UPDATE tasks SET description = 'edited elsewhere' WHERE id = ?").run(task);
                break;
            }
            check();
          }
          // Every snapshot, patches made from changed rows included, reads back as the state it was taken of.
          const last = c.ok('snapshot', { action: 'create', flow_id: flows[0] }).snapshot.id as string;
          taken.set(last, wholeState(t, { kind: 'flow', flowId: flows[0]! }));
          forgetStates();
          for (const [id, whole] of taken) expectSame(loadState(t.call, getSnapshot(t.ws.db, id)!), whole);
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 40, seed: 20261201 },
    );
    // The incremental path is what was tested: most reads came from a kept state.
    expect(derived).toBeGreaterThan(reads / 2);
  });

  function twoTasks() {
    const t = tempWorkspace();
    const c = caller(t.call);
    const flowId = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('task', { action: 'create', tasks: [{ title: 'API' }, { title: 'UI' }] });
    return { t, c, scope: { kind: 'flow' as const, flowId } };
  }

  it('finds a new row at a rowid a delete freed (SQLite hands the highest rowid out again)', () => {
    const { t, c, scope } = twoTasks();
    try {
      captureState(t.call, scope);
      const newest = t.ws.db.prepare('SELECT id, rowid AS r FROM tasks ORDER BY rowid DESC LIMIT 1').get() as { id: string; r: number };
      // Deleted by a bare statement, so that nothing else this process does touches the new row's key.
      t.ws.db.prepare('DELETE FROM tasks WHERE id = ?').run(newest.id);
      c.ok('task', { action: 'create', title: 'Docs' });
      expect((t.ws.db.prepare("SELECT rowid AS r FROM tasks WHERE title = 'Docs'").get() as { r: number }).r).toBe(newest.r);
      const read = captureState(t.call, scope);
      expect(derivedFrom(read)).toBeDefined();
      expectSame(read, wholeState(t, scope));
      expect(Object.values(read.tasks).map((r) => r.title)).toContain('Docs');
    } finally {
      t.cleanup();
    }
  });

  it("a new process's snapshot starts from the previous snapshot's state and the mark its payload holds, only in the same database", () => {
    const { t, c, scope } = twoTasks();
    try {
      const snap = () => getSnapshot(t.ws.db, c.ok('snapshot', { action: 'create', flow_id: scope.flowId }).snapshot.id as string)!;
      snap();
      forgetStates(); // a new process: nothing kept
      c.ok('task', { action: 'create', title: 'Docs' });
      t.ws.db.prepare("UPDATE tasks SET title = 'renamed elsewhere' WHERE title = 'API'").run();
      const second = snap();
      expect(second.kind).toBe('patch');
      // Made from the first snapshot's state and the rows changed since, not read whole…
      expect(derivedFrom(rememberedState(t.call, second)!)).toBeDefined();
      const whole = wholeState(t, scope);
      // …and it reads back, in yet another process, as the flow was.
      forgetStates();
      expectSame(loadState(t.call, second), whole);
      // A payload's mark names its database: one made another way (recover makes a new database) is not used.
      forgetStates();
      t.ws.db.prepare("UPDATE settings SET value = 'another-database' WHERE key = 'db_id'").run();
      c.ok('task', { action: 'create', title: 'Tests' });
      const third = snap();
      expect(derivedFrom(rememberedState(t.call, third)!)).toBeUndefined();
      forgetStates();
      expectSame(loadState(t.call, third), wholeState(t, scope));
    } finally {
      t.cleanup();
    }
  });

  it("a new process's restore starts from the snapshot it restores; its result and its undo are right", () => {
    const { t, c, scope } = twoTasks();
    try {
      const [first] = c.ok('task', { action: 'list' }).tasks as { id: string }[];
      const undo = c.ok('task', { action: 'delete', id: first!.id, confirm: true }).snapshot as string;
      c.ok('task', { action: 'create', title: 'Docs' });
      const was = wholeState(t, scope);
      forgetStates(); // a new process (the CLI) undoes the delete
      const r = c.ok('snapshot', { action: 'restore', id: undo, confirm: true });
      // The "before restore" snapshot was made from the restored snapshot's state and the rows changed since.
      const before = getSnapshot(t.ws.db, r.undo_snapshot as string)!;
      expect(derivedFrom(rememberedState(t.call, before)!)).toBeDefined();
      expect((t.ws.db.prepare('SELECT title FROM tasks ORDER BY title').all() as { title: string }[]).map((x) => x.title)).toEqual(['API', 'UI']);
      forgetStates();
      expectSame(loadState(t.call, before), was);
    } finally {
      t.cleanup();
    }
  });

  it('does not keep a read made inside a transaction that is then rolled back', () => {
    const { t, scope } = twoTasks();
    try {
      captureState(t.call, scope);
      expect(() =>
        t.ws.db.transaction(() => {
          t.ws.db.prepare("UPDATE tasks SET title = 'rolled back'").run();
          captureState(t.call, scope);
          throw new Error('undo');
        })(),
      ).toThrow('undo');
      // The rollback handed the same change numbers out again, to these writes.
      t.ws.db.prepare("UPDATE tasks SET description = 'after'").run();
      const read = captureState(t.call, scope);
      expectSame(read, wholeState(t, scope));
      expect(Object.values(read.tasks).map((r) => r.title).sort()).toEqual(['API', 'UI']);
    } finally {
      t.cleanup();
    }
  });

  it('reads the scope whole once the log was trimmed past what it kept; the log never grows past twice what it keeps', () => {
    const { t, c, scope } = twoTasks();
    try {
      captureState(t.call, scope);
      const db = t.ws.db;
      // 200,001 logged changes (of a key no row has), as a long-running server piles them up.
      db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i <= 200000) INSERT INTO state_changes (tbl, a) SELECT 'tasks', 't-none' FROM n").run();
      c.ok('task', { action: 'create', title: 'Docs' });
      // Any snapshot trims the log: the newest 100,000 stay.
      c.ok('snapshot', { action: 'create', flow_id: scope.flowId });
      const left = db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM state_changes').get() as { n: number; lo: number; hi: number };
      expect(left.n).toBe(100_000);
      expect(left.hi - left.lo + 1).toBe(100_000);
      // That snapshot read the flow whole (200k changes are more than are read one by one) and kept it.
      const read = captureState(t.call, scope);
      expect(derivedFrom(read)).toBeDefined();
      expectSame(read, wholeState(t, scope));
      // Changes logged after the kept read, then the oldest of them trimmed away (as a trim that went
      // past it would): the next read cannot know what they were, so it reads whole.
      const [a, b] = Object.keys(read.tasks);
      c.ok('task', { action: 'update', id: a!, title: 'renamed' });
      c.ok('task', { action: 'update', id: b!, title: 'renamed too' });
      db.prepare('DELETE FROM state_changes WHERE seq < (SELECT MAX(seq) FROM state_changes)').run();
      const after = captureState(t.call, scope);
      expect(derivedFrom(after)).toBeUndefined();
      expectSame(after, wholeState(t, scope));
      expect(Object.values(after.tasks).map((r) => r.title)).toEqual(expect.arrayContaining(['renamed', 'renamed too']));
    } finally {
      t.cleanup();
    }
  });

  it('reads the scope whole when a change-log trigger is gone (a planted database), or after VACUUM', () => {
    const { t, c, scope } = twoTasks();
    try {
      // Gone before this process first reads the flow, as in a database that came that way.
      t.ws.db.exec('DROP TRIGGER state_changes_tasks_update');
      captureState(t.call, scope);
      t.ws.db.prepare("UPDATE tasks SET title = 'unlogged'").run();
      const read = captureState(t.call, scope);
      expect(derivedFrom(read)).toBeUndefined();
      expect(Object.values(read.tasks).map((r) => r.title)).toEqual(['unlogged', 'unlogged']);
    } finally {
      t.cleanup();
    }
    const v = twoTasks();
    try {
      captureState(v.t.call, v.scope);
      v.t.ws.db.exec('VACUUM');
      v.c.ok('task', { action: 'create', title: 'Docs' });
      const read = captureState(v.t.call, v.scope);
      expect(derivedFrom(read)).toBeUndefined();
      expectSame(read, wholeState(v.t, v.scope));
    } finally {
      v.t.cleanup();
    }
  });
});
