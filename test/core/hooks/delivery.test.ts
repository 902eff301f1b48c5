// Post delivery on a real database, in-process: a hook passing over a long stretch of events it does
// not want gives the event loop turns (a server keeps answering) and moves its cursor to the end; hook
// state that no flowmcp run could have written (a lease held for years, a cursor past the log, a retry
// years away) does not stop delivery for good.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drainHook, MAX_LEASE_MS } from '../../../src/core/hooks/delivery.js';
import { runnableHooks } from '../../../src/core/hooks/hook-config.js';
import { hookRows } from '../../../src/core/hooks/hooks-report.js';
import { record } from '../../../src/core/kernel/events.js';
import { lastEventSeq } from '../../../src/store/events.js';
import { ensureHookState, hookState } from '../../../src/store/hooks.js';
import { readRecorded, recorder } from '../../helpers/hooks.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => {
  vi.unstubAllEnvs();
  t.cleanup();
});

function hooks(defs: unknown[]): void {
  const dir = join(t.dir, 'cfg');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ hooks: defs }));
  vi.stubEnv('FLOWMCP_CONFIG', join(dir, 'config.json'));
}

function events(n: number, action = 'flow.update'): void {
  t.ws.write(() => {
    for (let i = 0; i < n; i++) record(t.call, { action, entity: 'flow', entity_id: 'f-x', flow_id: 'f-x', summary: `event ${i}` });
  });
}

describe('post delivery', () => {
  it('passing over a long unmatched stretch yields to the event loop and ends at the newest event', async () => {
    hooks([{ name: 'rare', when: 'post', events: ['plan.completed'], run: ['true'] }]);
    const h = runnableHooks(t.ws, 'post')[0]!;
    t.ws.write(() => ensureHookState(t.ws.db, 'rare', h.hash, 0));
    events(40_000);
    const order: string[] = [];
    setImmediate(() => order.push('another turn'));
    await drainHook(t.ws, h, { signal: new AbortController().signal });
    order.push('drained');
    expect(order).toEqual(['another turn', 'drained']);
    expect(hookState(t.ws.db, 'rare')).toMatchObject({ cursor: lastEventSeq(t.ws.db), lease_owner: null });
  });

  it('a planted lease, cursor or retry time does not stop delivery', async () => {
    const out = join(t.dir, 'out.jsonl');
    hooks([{ name: 'rec', when: 'post', events: ['flow.updated'], run: [process.execPath, recorder(t.dir), out], env: ['FLOWMCP_TEST_CHILD'] }]);
    const h = runnableHooks(t.ws, 'post')[0]!;
    events(3);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', h.hash, 0));
    const years = Date.now() + 10 * 365 * 24 * 3600_000;
    t.ws.db.prepare('UPDATE hook_state SET lease_owner = ?, lease_until = ?, cursor = ?, retry_at = ? WHERE name = ?').run('someone:1:x', years, 1e12, years, 'rec');
    const signal = new AbortController().signal;
    // hooks list says who holds the lease and when the next try is.
    expect(hookRows(t.ws).hooks[0]).toMatchObject({ name: 'rec', lease_owner: 'someone:1:x', lease_until: new Date(years).toISOString(), retry_at: new Date(years).toISOString() });

    await drainHook(t.ws, h, { signal });
    const s = hookState(t.ws.db, 'rec')!;
    expect(s.cursor).toBe(3); // put back to the newest event
    expect(s.retry_at!).toBeLessThanOrEqual(Date.now() + 60_000); // brought back within the backoff cap

    // Once that (capped) retry time has come, the years-long lease does not hold delivery back.
    t.ws.db.prepare('UPDATE hook_state SET retry_at = ? WHERE name = ?').run(Date.now() - 1, 'rec');
    events(1);
    expect(hookState(t.ws.db, 'rec')!.lease_until).toBeGreaterThan(Date.now() + MAX_LEASE_MS);
    await drainHook(t.ws, h, { signal });
    expect(readRecorded(out).map((r) => r.payload.seq)).toEqual([4]);
    expect(hookState(t.ws.db, 'rec')).toMatchObject({ cursor: 4, lease_owner: null });
  });
});
