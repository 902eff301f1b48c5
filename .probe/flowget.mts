import { seedProject, toolCaller } from '../bench/seed.js';
import { Workspace } from '../src/core/kernel/workspace.js';
const { dir } = seedProject(100000, { plans: 5000 });
const ws = Workspace.open(dir);
const call = toolCaller({ ws, session: ws.session('probe') });
for (const args of [{ action: 'get' }, { action: 'list' }]) {
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let out: any;
    for (let i = 0; i < 300; i++) out = call(r < 3 ? 'flow' : 'plan', args);
    console.log('flow', args.action, 'µs', ((performance.now() - t0) / 300 * 1000).toFixed(0), JSON.stringify(out).length);
  }
}
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 300; i++) call('plan', { action: 'list' });
  console.log('plan list µs', ((performance.now() - t0) / 300 * 1000).toFixed(0));
}
const out = call('flow', { action: 'get' });
console.log(JSON.stringify(out).slice(0, 1500));
