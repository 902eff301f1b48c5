// Runs one import in its own process (so its peak memory is its own) and prints its time (until the
// record is queryable, then the search pass after it) and peak RSS.
import { importFile } from '../src/core/transfer/import-file.js';
import { Workspace } from '../src/core/kernel/workspace.js';
import { catchUpSearch } from '../src/core/docs/search-backlog.js';

const [dir, file] = process.argv.slice(2) as [string, string];
const ws = Workspace.open(dir);
const t0 = performance.now();
const call = { ws, session: ws.session('bench') };
const report = importFile(call, file, {});
const ms = performance.now() - t0; // until the record is queryable
const t1 = performance.now();
catchUpSearch(call); // the search entries, as `flowmcp import` writes them after the record
const searchMs = performance.now() - t1;
ws.close();
process.stdout.write(JSON.stringify({ ms, searchMs, maxRssMB: process.resourceUsage().maxRSS / 1024, report: { created: (report as { created: unknown }).created } }) + '\n');
