// Crash: a real server process makes writes of every kind (tasks, documents, context) and is
// SIGKILLed at a random moment, 30 times over on one project. Every write the client saw acknowledged
// must be there afterwards, the database must pass integrity_check, and every context.json must parse.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killDuringBurst } from '../helpers/crash.js';
import { connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const ROUNDS = 30;

describe('kill -9 during writes', () => {
  const dir = tempDir('flowmcp-crash-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no acknowledged write over ${ROUNDS} SIGKILLs`, async () => {
    const setup = await connect({ dir });
    const flow = (await setup.call('flow', { action: 'create', name: 'Crash' })).structuredContent.flow;
    const plan = (await setup.call('plan', { action: 'create', title: 'Writes', flow_id: flow.id })).structuredContent.plan;
    await setup.close();

    const tasks = new Map<string, string>(); // id → title
    const docs = new Map<string, string>(); // path → content
    const decisions = new Set<string>();
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await killDuringBurst(
        dir,
        async (s, i) => {
          const tag = `r${round}-${i}`;
          if (i % 3 === 0) {
            const r = await s.call('task', { action: 'create', title: `task ${tag}`, description: 'x'.repeat(i % 7 * 50), plan_id: plan.id });
            if (!r.isError) tasks.set(r.structuredContent.task.id, `task ${tag}`);
          } else if (i % 3 === 1) {
            const content = `# Note ${tag}\n\n${'line of text\n'.repeat(1 + (i % 20))}`;
            const r = await s.call('document', { action: 'write', path: `notes/${tag}.md`, content, flow_id: flow.id });
            if (!r.isError) docs.set(`notes/${tag}.md`, content);
          } else {
            const r = await s.call('context', { action: 'save', flow_id: flow.id, decision: { what: `decision ${tag}`, why: 'because' } });
            if (!r.isError) decisions.add(`decision ${tag}`);
          }
        },
        // Two of each kind acknowledged before the random wait: the counts below hold on a busy machine too.
        { minMs: 60, spreadMs: 500, minSteps: 6 },
      );
      kills++;

      // What the next process would find: open read-write (so SQLite recovers the WAL), then check.
      const db = new Database(join(dir, '.flow', 'flow.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const taskTitles = new Map((db.prepare('SELECT id, title FROM tasks').all() as { id: string; title: string }[]).map((t) => [t.id, t.title]));
      for (const [id, title] of tasks) expect(taskTitles.get(id), `acknowledged task ${id}`).toBe(title);
      const docPaths = new Set((db.prepare("SELECT path FROM documents WHERE source = 'flow'").pluck().all() as string[]));
      for (const [path, content] of docs) {
        expect(docPaths.has(path), `acknowledged document ${path}`).toBe(true);
        expect(readFileSync(join(dir, '.flow', 'documents', path), 'utf8')).toBe(content);
      }
      const saved = new Set(db.prepare("SELECT text FROM context_entries WHERE kind = 'decision'").pluck().all() as string[]);
      for (const d of decisions) expect(saved.has(d), `acknowledged decision ${d}`).toBe(true);
      db.close();
      const ctxDir = join(dir, '.flow', 'context');
      if (existsSync(ctxDir)) {
        for (const f of readdirSync(ctxDir).filter((f) => f.endsWith('.json'))) {
          expect(() => JSON.parse(readFileSync(join(ctxDir, f), 'utf8')), f).not.toThrow();
        }
      }
    }
    expect(kills).toBe(ROUNDS);
    // The bursts really wrote: every kind of write was acknowledged many times.
    expect(tasks.size).toBeGreaterThan(ROUNDS);
    expect(docs.size).toBeGreaterThan(ROUNDS);
    expect(decisions.size).toBeGreaterThan(ROUNDS);

    // And a server started afterwards sees all of it through the tools.
    const after = await connect({ dir });
    const listed = await after.call('task', { action: 'list', plan_id: plan.id, limit: 200 });
    expect(listed.isError).toBeFalsy();
    const call = await after.call('context', { action: 'get', flow_id: flow.id });
    expect(call.isError).toBeFalsy();
    await after.close();
  }, 240_000);
});
