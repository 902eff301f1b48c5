// `flowmcp recover --force` on a database that is fine: the rebuild must not roll the project back to
// its newest snapshot and leave the work since only in the file it sets aside.
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('recover --force on a healthy database', () => {
  it('keeps everything written after the newest snapshot', () => {
    const dir = scratch();
    let ws = Workspace.open(dir);
    let c = caller({ ws, session: ws.session('a') });
    c.ok('flow', { action: 'create', name: 'Shop' });
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('task', { action: 'create', title: 'Cart' });
    c.ok('snapshot', { action: 'create', label: 'early' });
    c.ok('task', { action: 'create', tasks: [{ title: 'Checkout' }, { title: 'Refunds' }] });
    c.ok('context', { action: 'save', decision: { what: 'Stripe first', why: 'most users' } });
    ws.close();

    const report = recover(dir, { force: true });
    expect(report.note).toMatch(/was healthy: snapshot s-[0-9a-z]+ of everything it held was taken first/);

    ws = Workspace.open(dir);
    c = caller({ ws, session: ws.session('a') });
    try {
      const flow = c.ok('flow', { action: 'list' }).flows[0].id as string;
      const titles = (c.ok('task', { action: 'list', flow_id: flow }).tasks as { title: string }[]).map((t) => t.title).sort();
      expect(titles).toEqual(['Cart', 'Checkout', 'Refunds']);
      const decisions = c.ok('context', { action: 'get', flow_id: flow }).decisions as { text?: string; what?: string }[];
      expect(JSON.stringify(decisions)).toContain('Stripe first');
    } finally {
      ws.close();
    }
  });
});
