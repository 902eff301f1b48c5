// A state patched from the rows the change log names (snapshot-state-patch.ts, store/state-changes.ts)
// is the state read whole: after any writes another program makes straight to flow.db (rows inserted,
// deleted, the newest ones too, cascades, tasks moved, transactions rolled back), whatever the rows'
// ids are (an import keeps the ids its file gives).
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureState, forgetStates, stateJson } from '../../src/core/snapshots/capture.js';
import { derivedFrom } from '../../src/core/snapshots/live-state.js';
import { exportState } from '../../src/core/transfer/export.js';
import { importExport } from '../../src/core/transfer/import-flowmcp.js';
import { readScopeRows, type Scope, type SnapshotState } from '../../src/store/snapshot-state.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace, workspacePerTest } from '../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

const NOW = '2026-01-01T00:00:00.000Z';
/** Documents compared without their text's blob (captureState adds it). */
const text = (s: SnapshotState) => JSON.stringify({ ...s, documents: Object.fromEntries(Object.entries(s.documents).map(([k, d]) => [k, { ...d, blob: null }])) });

const write = fc.oneof(
  fc.record({ k: fc.constant('flow' as const) }),
  fc.record({ k: fc.constant('plan' as const), flow: fc.nat() }),
  fc.record({ k: fc.constant('tasks' as const), plan: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  // The newest rows, and the ones just below them: SQLite hands their rowids out again.
  fc.record({ k: fc.constant('deleteTask' as const), task: fc.nat(), fromNewest: fc.option(fc.nat(2), { nil: undefined }) }),
  fc.record({ k: fc.constant('deletePlan' as const), plan: fc.nat() }),
  fc.record({ k: fc.constant('deleteFlow' as const), flow: fc.nat() }),
  fc.record({ k: fc.constant('move' as const), task: fc.nat(), plan: fc.nat() }),
  fc.record({ k: fc.constant('depend' as const), task: fc.nat(), on: fc.nat() }),
  fc.record({ k: fc.constant('link' as const), doc: fc.nat(2), target: fc.nat(), kind: fc.constantFrom('task', 'plan', 'flow') }),
  fc.record({ k: fc.constant('unlink' as const), link: fc.nat() }),
  fc.record({ k: fc.constant('contextState' as const), flow: fc.nat() }),
  fc.record({ k: fc.constant('deleteContextState' as const), flow: fc.nat() }),
  fc.record({ k: fc.constant('entry' as const), flow: fc.nat() }),
  fc.record({ k: fc.constant('deleteEntry' as const), entry: fc.nat(), fromNewest: fc.option(fc.nat(2), { nil: undefined }) }),
  fc.record({ k: fc.constant('rolledBack' as const), task: fc.nat() }),
);
// Rows inserted and deleted at the top of the tasks table, where rowids are handed out again.
const churn = fc.oneof(
  fc.record({ k: fc.constant('tasks' as const), plan: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant('deleteTask' as const), task: fc.nat(), fromNewest: fc.nat(2) }),
);
const read = fc.record({ k: fc.constant('read' as const), scope: fc.nat(2) });

describe('a state patched from changed rows', () => {
  it('is the state read whole after any writes another connection makes, for ids of any shape', () => {
    let derived = 0;
    let reads = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: write, weight: 2 }, { arbitrary: churn, weight: 1 }, { arbitrary: read, weight: 2 }), { minLength: 10, maxLength: 40, size: 'medium' }), (ops) => {
        forgetStates();
        const t = tempWorkspace();
        const other = new Database(join(t.dir, '.flow', 'flow.db'));
        other.pragma('foreign_keys = ON');
        try {
          let n = 0;
          // Digits, "__proto__", letters beyond ASCII and beyond the BMP: ids sort and key objects differently.
          const newId = (prefix: string) => {
            const k = n++;
            return k === 7 ? '__proto__' : k % 3 === 0 ? String(k) : `${['', 'é', '\u{1F600}', 'ﬀ', 'z'][k % 5]}${prefix}${k}`;
          };
          const ids = (sql: string) => (t.ws.db.prepare(sql).pluck().all() as string[]);
          const pick = (xs: string[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
          const flowOf = (plan: string) => t.ws.db.prepare('SELECT flow_id FROM plans WHERE id = ?').pluck().get(plan) as string;
          const x = other;
          for (let d = 0; d < 3; d++) {
            x.prepare("INSERT INTO documents (id, source, path, size, mtime_ms, sha256, created_at, updated_at) VALUES (?, 'project', ?, 1, 0, 'x', ?, ?)").run(`d${d}`, `d${d}.md`, NOW, NOW);
          }
          const check = (scope: number) => {
            const flows = ids('SELECT id FROM flows ORDER BY rowid');
            const s: Scope = scope === 2 || !flows.length ? { kind: 'workspace' } : { kind: 'flow', flowId: flows[scope % flows.length]! };
            const state = captureState(t.call, s);
            reads++;
            if (derivedFrom(state)) derived++;
            expect(text(state)).toBe(text(t.ws.db.transaction(() => readScopeRows(t.ws.db, s))()));
            expect(stateJson(state)).toBe(JSON.stringify(state));
          };
          // Two flows of two plans of three tasks each to start from.
          const start: typeof ops = [{ k: 'flow' }, { k: 'flow' }, ...[0, 1, 2, 3].map((i) => ({ k: 'plan' as const, flow: i })), ...[0, 1, 2, 3].map((i) => ({ k: 'tasks' as const, plan: i, n: 3 }))];
          for (const o of [...start, ...ops]) {
            switch (o.k) {
              case 'read':
                check(o.scope);
                break;
              case 'flow':
                x.prepare('INSERT INTO flows (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(newId('f'), 'F', NOW, NOW);
                break;
              case 'plan': {
                const f = pick(ids('SELECT id FROM flows ORDER BY rowid'), o.flow);
                if (f) x.prepare('INSERT INTO plans (id, flow_id, title, position, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run(newId('p'), f, 'P', NOW, NOW);
                break;
              }
              case 'tasks': {
                const p = pick(ids('SELECT id FROM plans ORDER BY rowid'), o.plan);
                for (let i = 0; p && i < o.n; i++) {
                  x.prepare('INSERT INTO tasks (id, plan_id, flow_id, title, position, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)').run(newId('t'), p, flowOf(p), 'T', NOW, NOW);
                }
                break;
              }
              case 'deleteTask': {
                const all = ids('SELECT id FROM tasks ORDER BY rowid DESC');
                const id = o.fromNewest !== undefined ? all[o.fromNewest] : pick(all, o.task);
                if (id) x.prepare('DELETE FROM tasks WHERE id = ?').run(id);
                break;
              }
              case 'deletePlan': {
                const id = pick(ids('SELECT id FROM plans ORDER BY rowid'), o.plan);
                if (id) x.prepare('DELETE FROM plans WHERE id = ?').run(id);
                break;
              }
              case 'deleteFlow': {
                const id = pick(ids('SELECT id FROM flows ORDER BY rowid'), o.flow);
                if (id) x.prepare('DELETE FROM flows WHERE id = ?').run(id);
                break;
              }
              case 'move': {
                const id = pick(ids('SELECT id FROM tasks ORDER BY rowid'), o.task);
                const p = pick(ids('SELECT id FROM plans ORDER BY rowid'), o.plan);
                if (id && p) x.prepare('UPDATE tasks SET plan_id = ?, flow_id = ? WHERE id = ?').run(p, flowOf(p), id);
                break;
              }
              case 'depend': {
                const all = ids('SELECT id FROM tasks ORDER BY rowid');
                const [a, b] = [pick(all, o.task), pick(all, o.on)];
                if (a && b && a !== b) x.prepare('INSERT OR IGNORE INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)').run(a, b, NOW);
                break;
              }
              case 'link': {
                const id = pick(ids(`SELECT id FROM ${o.kind}s ORDER BY rowid`), o.target);
                if (id) x.prepare('INSERT OR IGNORE INTO document_links (document_id, target_kind, target_id, created_at) VALUES (?, ?, ?, ?)').run(`d${o.doc}`, o.kind, id, NOW);
                break;
              }
              case 'unlink': {
                const links = t.ws.db.prepare('SELECT document_id, target_kind, target_id FROM document_links ORDER BY 1, 2, 3').raw().all() as string[][];
                const l = links.length ? links[o.link % links.length] : undefined;
                if (l) x.prepare('DELETE FROM document_links WHERE document_id = ? AND target_kind = ? AND target_id = ?').run(...l);
                break;
              }
              case 'contextState': {
                const f = pick(ids('SELECT id FROM flows ORDER BY rowid'), o.flow);
                if (f) x.prepare('INSERT INTO context_state (flow_id, revision, updated_at) VALUES (?, 1, ?) ON CONFLICT (flow_id) DO UPDATE SET revision = revision + 1').run(f, NOW);
                break;
              }
              case 'deleteContextState': {
                const f = pick(ids('SELECT flow_id FROM context_state ORDER BY rowid'), o.flow);
                if (f) x.prepare('DELETE FROM context_state WHERE flow_id = ?').run(f);
                break;
              }
              case 'entry': {
                const f = pick(ids('SELECT id FROM flows ORDER BY rowid'), o.flow);
                if (f) x.prepare("INSERT INTO context_entries (id, flow_id, kind, text, created_at, updated_at) VALUES (?, ?, 'decision', 'x', ?, ?)").run(newId('e'), f, NOW, NOW);
                break;
              }
              case 'deleteEntry': {
                const all = ids('SELECT id FROM context_entries ORDER BY rowid DESC');
                const id = o.fromNewest !== undefined ? all[o.fromNewest] : pick(all, o.entry);
                if (id) x.prepare('DELETE FROM context_entries WHERE id = ?').run(id);
                break;
              }
              case 'rolledBack': {
                const id = pick(ids('SELECT id FROM tasks ORDER BY rowid'), o.task);
                expect(() =>
                  x.transaction(() => {
                    if (id) x.prepare('DELETE FROM tasks WHERE id = ?').run(id);
                    x.prepare('INSERT INTO flows (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(`rolled back ${n}`, 'F', NOW, NOW);
                    throw new Error('undo');
                  })(),
                ).toThrow('undo');
                break;
              }
            }
          }
        } finally {
          other.close();
          t.cleanup();
        }
      }),
      { numRuns: 60, seed: 20261201 },
    );
    // The incremental path is what was tested: most reads came from a kept state.
    expect(derived).toBeGreaterThan(reads / 2);
  });

  it('keeps a task imported with the id "__proto__": restoring the snapshot taken after the import leaves it in place', () => {
    const t = workspace();
    const c = caller(t.call);
    const flowId = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build' });
    const taskId = c.ok('task', { action: 'create', tasks: [{ title: 'API' }] }).tasks[0].id as string;
    // An export whose task is renamed "__proto__", as a hand-edited file may be.
    const text = exportState(t.call).replaceAll(JSON.stringify(taskId), JSON.stringify('__proto__'));
    c.ok('flow', { action: 'delete', id: flowId, confirm: true });
    // This read of the workspace is the one the next snapshot is patched from.
    c.ok('snapshot', { action: 'create' });
    importExport(t.call, JSON.parse(text) as Record<string, unknown>, { source: 'export.json' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot;
    expect(snap.counts.tasks).toBe(1);
    forgetStates(); // restored by another process (the CLI), which reads everything afresh
    c.ok('snapshot', { action: 'restore', id: snap.id, confirm: true });
    expect(t.ws.db.prepare('SELECT id, title FROM tasks').all()).toEqual([{ id: '__proto__', title: 'API' }]);
  });
});
