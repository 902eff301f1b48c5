// The small project the recover tests start from: flow Shop, plan Build, task Cart, then a snapshot,
// written through the tools and closed, so recover finds a real database and a real payload on disk.
import { Workspace } from '../../src/core/kernel/workspace.js';
import { caller } from './call.js';

/** Makes the project in `dir`; `then` may add to it (or read from it) before it is closed. */
export function shopProject<T = void>(dir: string, opts: { label?: string; then?: (c: ReturnType<typeof caller>, ws: Workspace) => T } = {}): T {
  const ws = Workspace.open(dir);
  try {
    const c = caller({ ws, session: ws.session('a') });
    c.ok('flow', { action: 'create', name: 'Shop' });
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('task', { action: 'create', title: 'Cart' });
    c.ok('snapshot', { action: 'create', ...(opts.label ? { label: opts.label } : {}) });
    return opts.then ? opts.then(c, ws) : (undefined as T);
  } finally {
    ws.close();
  }
}
