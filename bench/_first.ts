import { Workspace } from '../src/core/kernel/workspace.js';
import { searchProject } from '../src/core/docs/search.js';
import { checkBesideSearches } from '../src/core/docs/sync-throttle.js';
import { catchUpBesideCalls } from '../src/core/docs/search-backlog.js';
import { activeEmbedder } from '../src/core/docs/active-embedder.js';
import { vectorIndexFor } from '../src/search/vector-index.js';
const t0 = performance.now();
const ws = Workspace.open(process.argv[2]!);
const call = { ws, session: ws.session('x') };
checkBesideSearches(call); catchUpBesideCalls(call);
const t1 = performance.now();
const mode = process.argv[3] ?? 'all';
if (mode === 'parts') {
  let t = performance.now(); const e = activeEmbedder(ws)!; await e.embed(['', '검색']); console.log('embedder load', (performance.now() - t).toFixed(0));
  t = performance.now(); const ix = vectorIndexFor(ws.db, e.id, e.dim); console.log('vector index load', (performance.now() - t).toFixed(0), ix.size);
}
let t = performance.now();
const r = await searchProject(call, { query: 'how do I configure logging for the production server' });
console.log('open', (t1 - t0).toFixed(0), 'first search', (performance.now() - t).toFixed(0), r.mode, r.vectors?.scan);
t = performance.now();
await searchProject(call, { query: 'deploy behind a reverse proxy' });
console.log('second', (performance.now() - t).toFixed(0));
