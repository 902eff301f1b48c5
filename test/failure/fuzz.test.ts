// Fuzz: over 5,000 generated malformed calls to every tool and action of a real server process —
// wrong types, huge and empty values, unicode and control characters, path traversal, __proto__ and
// constructor keys, unknown actions and arguments. The server must never die; every answer is an
// isError result or a valid one (the SDK client checks each against its outputSchema); no refusal is
// an unhandled internal error (the catch-all's "flowmcp hit a bug", once "Internal error"); and a refused call changes nothing, on disk or in the database.
import Database from 'better-sqlite3';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const CALLS = 5_200;

/** A small deterministic PRNG (mulberry32): the same seed makes the same calls, so failures replay. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  false,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  'nul\u0000inside',
  '\u0001\u0002\u001f\u007f',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil.md',
  '😀'.repeat(2_000),
  '한국어 작업',
  '../../../etc/passwd',
  '/etc/passwd',
  '..\\..\\windows\\system.ini',
  'notes/../../../escape.md',
  '../escape.md',
  'C:\\Windows\\x.md',
  '~/x.md',
  'file:///etc/passwd',
  "t-'; DROP TABLE tasks;--",
  '%2e%2e%2fescape',
  '\n\r\t',
  '**',
  '/**/*',
  [],
  [null],
  [1, 2, 3],
  Array.from({ length: 2_000 }, (_, i) => `t-${i}`),
  {},
  { nested: { deeper: { deepest: [1, { a: null }] } } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  '__proto__',
  'constructor',
  { $ref: '#' },
];

/** Structural abuse of the whole argument object. */
const WHOLE: ((action: string | undefined) => Record<string, unknown>)[] = [
  () => ({}),
  () => ({ action: 'no_such_action' }),
  () => ({ action: 42 }),
  () => ({ action: null }),
  () => ({ action: ['create'] }),
  (a) => ({ action: a, unknown_argument: 'x' }),
  (a) => JSON.parse(`{"action": ${JSON.stringify(a ?? 'x')}, "__proto__": {"polluted": true, "action": "delete", "confirm": true}}`),
  (a) => ({ action: a, constructor: { name: 'x' }, prototype: {} }),
  (a) => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 150; i++) deep = { d: deep };
    return { action: a, deep };
  },
  (a) => ({ action: a?.toUpperCase() }),
  (a) => ({ action: `${a} ` }),
];

function fingerprint(db: Database.Database, dir: string): string {
  const table = (t: string, extra = '') =>
    db.prepare(`SELECT COUNT(*) || ':' || IFNULL(SUM(${extra || 'revision'}), 0) || ':' || IFNULL(MAX(updated_at), '') FROM ${t}`).pluck().get();
  const parts = [
    table('flows'),
    table('plans'),
    table('tasks'),
    table('documents'),
    db.prepare("SELECT COUNT(*) || ':' || IFNULL(MAX(updated_at), '') || ':' || IFNULL(group_concat(state), '') FROM context_entries").pluck().get(),
    db.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(),
    db.prepare('SELECT COUNT(*) FROM task_deps').pluck().get(),
    db.prepare('SELECT COUNT(*) FROM document_links').pluck().get(),
    db.prepare('SELECT IFNULL(MAX(seq), 0) FROM events').pluck().get(),
    db.prepare('SELECT COUNT(*) FROM chunks').pluck().get(),
    db.prepare("SELECT IFNULL(group_concat(key || '=' || value), '') FROM settings").pluck().get(),
  ];
  const walk = (d: string): string[] =>
    !existsSync(d)
      ? []
      : readdirSync(d, { withFileTypes: true }).flatMap((e) => {
          const p = join(d, e.name);
          return e.isDirectory() ? walk(p) : [`${p}:${statSync(p).size}:${statSync(p).mtimeMs}`];
        });
  return [...parts, ...walk(join(dir, '.flow', 'documents')), ...walk(join(dir, '.flow', 'context')), ...walk(join(dir, '.flow', 'snapshots'))].join('\n');
}

describe('fuzzed tool calls', () => {
  const outer = tempDir('flowmcp-fuzz-');
  const dir = join(outer, 'project');
  mkdirSync(dir);
  afterAll(() => rmSync(outer, { recursive: true, force: true }));

  it(`survives ${CALLS} malformed calls; refusals change nothing`, async () => {
    writeFileSync(join(dir, 'README.md'), '# Project\n\nSome text to index.\n');
    const s = await connect({ dir });
    const pid = s.transport.pid!;
    // Something to aim at: a flow, a plan, tasks, a document, context.
    const flow = (await s.call('flow', { action: 'create', name: 'Target' })).structuredContent.flow;
    await s.call('plan', { action: 'create', title: 'Plan' });
    const tasks = (await s.call('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two' }] })).structuredContent.tasks;
    await s.call('document', { action: 'write', path: 'notes/a.md', content: '# A\n\ntext' });
    await s.call('context', { action: 'save', summary: 'where we are' });
    const real = { id: tasks[0].id, flow_id: flow.id, path: 'notes/a.md' };

    const { tools } = await s.client.listTools();
    const targets = tools.flatMap((t) => {
      const props = (t.inputSchema.properties ?? {}) as Record<string, { enum?: string[] }>;
      const actions = props.action?.enum ?? [undefined];
      return actions.map((action) => ({ tool: t.name, action, args: Object.keys(props).filter((k) => k !== 'action') }));
    });
    expect(targets.length).toBeGreaterThan(40);

    const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
    const random = rng(20261122);
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    let before = fingerprint(db, dir);
    const counts = { error: 0, ok: 0, protocol: 0 };
    const problems: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = targets[i % targets.length]!;
      let args: Record<string, unknown>;
      if (random() < 0.15 || t.args.length === 0) {
        args = pick(WHOLE)(t.action);
      } else {
        args = t.action === undefined ? {} : { action: t.action };
        // Plausible values for the rest, so the bad one is what gets judged; sometimes real ids.
        for (const k of t.args) if (random() < 0.5) args[k] = k in real ? real[k as keyof typeof real] : k === 'confirm' ? true : 'x';
        const bad = 1 + Math.floor(random() * 2);
        for (let j = 0; j < bad; j++) args[pick(t.args)] = pick(BAD);
      }
      let answer;
      try {
        answer = await s.call(t.tool, args);
      } catch (e) {
        // The SDK refuses a structured result that does not match the outputSchema: that is a bug.
        if (e instanceof McpError && e.code === -32602 && !/output schema|structured content/i.test(e.message)) {
          counts.protocol++;
          continue;
        }
        problems.push(`${t.tool} ${JSON.stringify(args).slice(0, 200)}: ${(e as Error).message}`);
        break;
      }
      const after = fingerprint(db, dir);
      if (answer.isError) {
        counts.error++;
        const err = answer.structuredContent?.error;
        if (!err || typeof err.message !== 'string' || !err.code) problems.push(`${t.tool}: error without code/message: ${JSON.stringify(answer).slice(0, 200)}`);
        // The last resort's answer means a fault no layer named: a bug, never an expected refusal.
        else if (err.code === 'bug' || /Internal error|hit a bug/.test(err.message)) problems.push(`${t.tool} ${JSON.stringify(args).slice(0, 300)}: ${err.message}`);
        if (after !== before) problems.push(`${t.tool} ${JSON.stringify(args).slice(0, 300)}: refused, but changed something`);
      } else {
        counts.ok++;
      }
      const text = JSON.stringify(answer);
      if (text.includes('root:x:0:0')) problems.push(`${t.tool} ${JSON.stringify(args).slice(0, 200)}: returned /etc/passwd`);
      if (text.includes('"polluted"') && !JSON.stringify(args).includes('polluted')) problems.push(`${t.tool}: pollution visible`);
      before = after;
      if (problems.length > 20) break;
    }
    db.close();
    expect(problems).toEqual([]);
    // …and nothing reached the last resort on the way (it logs every bug with its stack).
    expect(s.stderr()).not.toMatch(/flowmcp error: bug:/);
    expect(counts.error + counts.ok + counts.protocol).toBe(CALLS);
    expect(counts.error).toBeGreaterThan(CALLS / 2);

    // Still alive, still answering, no prototype pollution, nothing written outside the project.
    expect(() => process.kill(pid, 0)).not.toThrow();
    await s.client.ping();
    const fresh = await s.call('flow', { action: 'create', name: 'After fuzz' });
    expect(fresh.isError).toBeFalsy();
    expect(JSON.stringify(fresh.structuredContent)).not.toContain('polluted');
    expect(readdirSync(outer)).toEqual(['project']);
    await s.close();
  }, 300_000);
});
