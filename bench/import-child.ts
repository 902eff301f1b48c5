// Runs one import in its own process (so its peak memory is its own) and prints time and peak RSS.
import { importFile } from '../src/core/transfer/import-file.js';
import { Workspace } from '../src/core/kernel/workspace.js';

const [dir, file] = process.argv.slice(2) as [string, string];
const ws = Workspace.open(dir);
const t0 = performance.now();
const report = importFile({ ws, session: ws.session('bench') }, file, {});
const ms = performance.now() - t0;
ws.close();
process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, report: { created: (report as { created: unknown }).created } }) + '\n');
