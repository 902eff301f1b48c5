// The page's read API against the real server process: the board's rows carry each claim's holder and
// lease end (no read per claimed task, on the server or in the page), and the rows the page reads after
// a live change include the tasks waiting on the changed one (their "waiting on N" follows it).
import { expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { apiSession, seed, serverPerTest, tool } from '../helpers/web.js';

const served = serverPerTest();

it('board rows carry claim holder and lease end; changed rows come with their dependents', async () => {
  const dir = served.project();
  const s = seed(dir, {
    Release: [{ title: 'Notes' }, { title: 'Tag', depends_on: ['#1'] }, { title: 'Announce', depends_on: ['#1'] }, ...Array.from({ length: 5 }, (_, i) => ({ title: `Claimed ${i}` }))],
  });
  const ws = Workspace.open(dir);
  try {
    const call = { ws, session: ws.session('seed') };
    for (let i = 0; i < 5; i++) tool(call, 'task', { action: 'claim', agent: `agent-${i}`, id: s.tasks.get(`Claimed ${i}`), lease_seconds: 600 });
  } finally {
    ws.close();
  }
  const server = await served.serve(dir);
  const api = await apiSession(server.port);

  const board = await api.get('/api/board');
  expect(board.status).toBe(200);
  expect(board.body.leases).toBeUndefined();
  const claimed = (board.body.tasks as { title: string; claimed_by?: string; claim_expires_at?: string }[]).filter((t) => t.claimed_by);
  expect(claimed.map((t) => t.claimed_by).sort()).toEqual(['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4']);
  for (const t of claimed) expect(Date.parse(t.claim_expires_at!) - Date.now()).toBeGreaterThan(60_000);
  const row = (title: string) => (board.body.tasks as { id: string; title: string; waiting_on_count?: number }[]).find((t) => t.title === title)!;
  expect(row('Tag').waiting_on_count).toBe(1);

  // The dependency is done: reading the changed row brings the rows waiting on it, no longer waiting.
  const notes = s.tasks.get('Notes')!;
  const w = Workspace.open(dir);
  try {
    tool({ ws: w, session: w.session('assistant') }, 'task', { action: 'set_status', id: notes, status: 'done' });
  } finally {
    w.close();
  }
  const changed = await api.get(`/api/rows?ids=${notes},made-up-id`);
  expect(changed.status).toBe(200);
  const byTitle = new Map((changed.body.rows as { title: string; status: string; waiting_on_count?: number; flow_id: string }[]).map((r) => [r.title, r]));
  expect([...byTitle.keys()].sort()).toEqual(['Announce', 'Notes', 'Tag']);
  expect(byTitle.get('Notes')).toMatchObject({ status: 'done', flow_id: s.flow });
  expect(byTitle.get('Tag')!.waiting_on_count).toBeUndefined();
  expect(changed.body.gone).toEqual([]);
  expect(changed.body.unknown).toEqual(['made-up-id']);
  expect(changed.body.reload).toBe(false);
  // The rows of a claimed task carry the lease there too.
  const one = await api.get(`/api/rows?ids=${s.tasks.get('Claimed 0')!}`);
  expect(one.body.rows[0]).toMatchObject({ claimed_by: 'agent-0', claim_expires_at: expect.any(String) });
  // At most 100 ids; none is a refusal.
  expect((await api.get(`/api/rows?ids=${Array.from({ length: 101 }, (_, i) => `t${i}`).join(',')}`)).status).toBe(400);
  expect((await api.get('/api/rows?ids=')).status).toBe(400);

  // Ids are read once each; a title or another kind's id is not resolved (unknown, not "gone"); a
  // repeated parameter is refused rather than read as its last value.
  const tag = s.tasks.get('Tag')!;
  const mixed = await api.get(`/api/rows?ids=${tag},${tag},Notes,${s.flow},t-zzzzzz`);
  expect(mixed.status).toBe(200);
  expect((mixed.body.rows as { id: string }[]).map((r) => r.id)).toEqual([tag]);
  expect(mixed.body.gone).toEqual(['t-zzzzzz']);
  expect(mixed.body.unknown).toEqual(['Notes', s.flow]);
  const twice = await api.get(`/api/rows?ids=${tag}&ids=${notes}`);
  expect(twice.status).toBe(400);
  expect(twice.body.error.message).toContain('one comma-separated list');
});

it('a task with many dependents: the rows answer stays bounded and asks for a board reload instead', async () => {
  const dir = served.project();
  const s = seed(dir, { Wide: [{ title: 'Root' }, ...Array.from({ length: 60 }, (_, i) => ({ title: `Leaf ${i}`, depends_on: ['#1'] }))] });
  const server = await served.serve(dir);
  const api = await apiSession(server.port);
  const r = await api.get(`/api/rows?ids=${s.tasks.get('Root')!}`);
  expect(r.status).toBe(200);
  expect(r.body.reload).toBe(true);
  expect(r.body.rows.length).toBeLessThanOrEqual(51);
});

it('refusals keep their shape: not signed in is `unauthorized`; too many ids, however long the address, is "at most 100"; an oversized request is JSON with the security headers', async () => {
  const dir = served.project();
  seed(dir, { Few: [{ title: 'One' }] });
  const server = await served.serve(dir);
  const base = `http://127.0.0.1:${server.port}`;
  const anon = await fetch(`${base}/api/board`);
  expect(anon.status).toBe(401);
  expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  const api = await apiSession(server.port);
  const many = Array.from({ length: 1500 }, (_, i) => `t-${i.toString(36).padStart(4, '0')}`).join(',');
  const rows = await api.get(`/api/rows?ids=${many}`);
  expect(rows.status, JSON.stringify(rows.body)).toBe(400);
  expect(rows.body.error.message).toMatch(/at most 100/);
  const huge = await fetch(`${base}/api/search?q=${'x'.repeat(20_000)}`, { headers: { cookie: api.cookie, 'x-flowmcp-csrf': api.csrf } });
  expect(huge.status).toBe(400);
  expect(huge.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  const enormous = await fetch(`${base}/api/search?q=${'x'.repeat(200_000)}`, { headers: { cookie: api.cookie, 'x-flowmcp-csrf': api.csrf } });
  expect(enormous.status).toBe(431);
  expect(enormous.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(((await enormous.json()) as { error: { code: string; message: string } }).error.message).toMatch(/too long/);
}, 60_000);
