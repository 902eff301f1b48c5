// Export writes the "3.0" layout extended with everything flowmcp keeps; importing it into an empty
// project and exporting again gives the same bytes; importing it twice creates nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportState } from '../../../src/core/transfer/export.js';
import { exportToFile } from '../../../src/core/transfer/export-file.js';
import { setDefaultFlow } from '../../../src/core/kernel/session.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempDir, workspacePerTest } from '../../helpers/workspace.js';

const SAMPLES = fileURLToPath(new URL('../../fixtures/legacy-samples/', import.meta.url));
const ws = workspacePerTest();

describe('export and import back', () => {
  it('export → import → export is byte-identical, with plans, tasks, dependencies, claims and context', () => {
    const a = ws();
    importFile(a.call, join(SAMPLES, 'workflow.b860d25.json'), {}); // 15 plans, 41 tasks, 12 dependencies
    importFile(a.call, join(SAMPLES, 'flows.63121d7.json'), {});
    const c = caller(a.call);
    const flow = c.ok('flow', { action: 'create', name: '새 흐름 "quoted"' }).flow.id;
    c.ok('plan', { action: 'create', title: 'Plan' });
    const [t1, t2] = c.ok('task', { action: 'create', tasks: [{ title: 'one', priority: 'high' }, { title: 'two', depends_on: ['#1'] }] }).tasks.map((x: { id: string }) => x.id);
    c.ok('task', { action: 'claim', agent: 'agent-7', id: t1 });
    c.ok('context', { action: 'save', summary: 'Where we are', decision: { what: 'Ship it', why: 'ready', task_id: t2 }, question: 'Anything left?' });
    const first = exportState(a.call);
    const parsed = JSON.parse(first);
    expect(parsed).toMatchObject({ version: '3.0', meta: { exported_by: 'flowmcp' } });
    expect(Object.keys(parsed.flows)).toContain(flow);
    const file = join(tempDir(), 'export.json');
    writeFileSync(file, first);

    const b = ws();
    const r = importFile(b.call, file, {}) as { created: Record<string, number> };
    expect(r.created).toMatchObject({ flows: 15, plans: 31, tasks: 82, dependencies: 13, context_entries: 3 });
    expect(exportState(b.call)).toBe(first);
    // Importing it again creates nothing.
    const before = dumpDb(b.ws);
    expect((importFile(b.call, file, {}) as { created: Record<string, number> }).created.flows).toBe(0);
    expect(dumpDb(b.ws)).toEqual(before);
  });

  it('one flow on its own', () => {
    const a = ws();
    const c = caller(a.call);
    const keep = c.ok('flow', { action: 'create', name: 'Keep' }).flow.id;
    c.ok('flow', { action: 'create', name: 'Other' });
    const out = JSON.parse(exportState(a.call, { flow_id: keep }));
    expect(Object.keys(out.flows)).toEqual([keep]);
  });

  it('names the default flow only when it is in the export; --out writes the same text, ending in a newline', () => {
    const a = ws();
    const c = caller(a.call);
    const keep = c.ok('flow', { action: 'create', name: 'Keep' }).flow.id;
    const other = c.ok('flow', { action: 'create', name: 'Other' }).flow.id;
    a.ws.write(() => setDefaultFlow(a.ws.db, keep));
    const current = (opts: { flow_id?: string } = {}) => JSON.parse(exportState(a.call, opts)).current_flow_id;
    expect(current()).toBe(keep);
    expect(current({ flow_id: keep })).toBe(keep);
    expect(current({ flow_id: other })).toBeNull();
    const out = join(tempDir(), 'export.json');
    exportToFile(a.call, out, { flow_id: other });
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(exportState(a.call, { flow_id: other }));
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text).flows)).toEqual([other]);
  });

  it('--out into .flow/ (the database, a context file, a new folder there, or through a link to it) is refused and nothing is written', () => {
    // `flowmcp export --out .flow/flow.db` replaced the live database with JSON: every later command
    // said it was damaged, and what changed since the last snapshot was lost.
    const a = ws();
    const c = caller(a.call);
    const flow = c.ok('flow', { action: 'create', name: 'Keep' }).flow.id;
    c.ok('context', { action: 'save', summary: 'kept' });
    const db = join(a.ws.flowDir, 'flow.db');
    const context = join(a.ws.flowDir, 'context', `${flow}.json`);
    const before = [readFileSync(db), readFileSync(context)];
    const link = join(tempDir(), 'to-flow');
    symlinkSync(a.ws.flowDir, link);
    for (const out of [db, context, join(a.ws.flowDir, 'exports', 'x.json'), join(link, 'flow.db'), join(a.ws.root, '.flow')]) {
      const e = caught(() => exportToFile(a.call, out)) as FlowError;
      expect(e.code, out).toBe('invalid_input');
      expect(e.message).toBe(`--out ${out} is inside ${a.ws.flowDir}, where flowmcp keeps this project's own data; nothing was written.`);
      expect(e.hint).toBe('Write the export to a file outside .flow/, e.g. flows-export.json in the project folder.');
    }
    expect([readFileSync(db), readFileSync(context)]).toEqual(before);
    expect(existsSync(join(a.ws.flowDir, 'exports'))).toBe(false);
    expect(c.ok('flow', { action: 'get', id: flow }).flow.name).toBe('Keep');
  });

  it('--out replaces an earlier export there, and refuses any other file (unless forced), a folder or a FIFO, writing nothing', () => {
    const a = ws();
    const c = caller(a.call);
    c.ok('flow', { action: 'create', name: 'Keep' });
    const dir = tempDir();
    const out = join(dir, 'export.json');
    expect(exportToFile(a.call, out)).toEqual({ replaced: false });
    c.ok('flow', { action: 'create', name: 'Later' });
    expect(exportToFile(a.call, out)).toEqual({ replaced: true }); // exporting again for git
    expect(readFileSync(out, 'utf8')).toBe(exportState(a.call));
    // A readme, or JSON that is not an export: left as it was.
    for (const [name, text] of [['README.md', '# My project\n'], ['package.json', '{ "name": "x", "version": "1.0.0" }\n']] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const e = caught(() => exportToFile(a.call, file)) as FlowError;
      expect(e.code).toBe('invalid_input');
      expect(e.message).toBe(`--out ${file} already exists and is not a flowmcp export; nothing was written.`);
      expect(e.hint).toBe(`Name another file (e.g. flows-export.json), or add --force to replace ${file} with the export.`);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
    const readme = join(dir, 'README.md');
    expect(exportToFile(a.call, readme, { force: true })).toEqual({ replaced: true });
    expect(readFileSync(readme, 'utf8')).toBe(exportState(a.call));
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const file of [folder, fifo]) {
      const e = caught(() => exportToFile(a.call, file, { force: true })) as FlowError;
      expect(e.message, file).toBe(`--out ${file} is not a regular file; nothing was written.`);
    }
  });

  it('--out through a link writes the file it names (the link stays); a link to nothing, a folder or a FIFO is refused', () => {
    const a = ws();
    const c = caller(a.call);
    c.ok('flow', { action: 'create', name: 'Keep' });
    const dir = tempDir();
    const shared = join(dir, 'shared.json');
    exportToFile(a.call, shared);
    const link = join(dir, 'flows.json');
    symlinkSync(shared, link);
    c.ok('flow', { action: 'create', name: 'Later' });
    expect(exportToFile(a.call, link)).toEqual({ replaced: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(shared, 'utf8')).toBe(exportState(a.call));
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const toNothing = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'missing.json'), toNothing);
    for (const [target, name] of [[folder, 'to-folder'], [fifo, 'to-fifo']] as const) {
      const l = join(dir, name);
      symlinkSync(target, l);
      expect((caught(() => exportToFile(a.call, l, { force: true })) as FlowError).message).toBe(`--out ${l} is not a regular file; nothing was written.`);
      expect(lstatSync(l).isSymbolicLink()).toBe(true);
    }
    expect((caught(() => exportToFile(a.call, toNothing, { force: true })) as FlowError).message).toBe(`--out ${toNothing} is a link to a file that does not exist; nothing was written.`);
    expect(existsSync(join(dir, 'missing.json'))).toBe(false);
  });

  it('--out named in the project but led out of it by a link there is refused unless forced; a link within the project is followed', () => {
    const a = ws();
    caller(a.call).ok('flow', { action: 'create', name: 'Keep' });
    const outside = join(tempDir(), 'elsewhere.json');
    writeFileSync(outside, ''); // empty: taken for an earlier export, were the link followed
    const planted = join(a.ws.root, 'export2.json');
    symlinkSync(outside, planted);
    const e = caught(() => exportToFile(a.call, planted)) as FlowError;
    expect(e.message).toBe(`--out ${planted} is in the project, but a link there leads outside it (to ${realpathSync(outside)}); nothing was written.`);
    expect(readFileSync(outside, 'utf8')).toBe('');
    expect(exportToFile(a.call, planted, { force: true })).toEqual({ replaced: true });
    expect(readFileSync(outside, 'utf8')).toBe(exportState(a.call));
    // Within the project, and named outside it by the person: written.
    const inside = join(a.ws.root, 'exports', 'flows.json');
    mkdirSync(dirname(inside));
    writeFileSync(inside, '');
    const link = join(a.ws.root, 'flows.json');
    symlinkSync(inside, link);
    expect(exportToFile(a.call, link)).toEqual({ replaced: true });
    expect(readFileSync(inside, 'utf8')).toBe(exportState(a.call));
  });

  it('--out takes an empty file, and an export whose keys were sorted (jq -S), as earlier exports', () => {
    const a = ws();
    caller(a.call).ok('flow', { action: 'create', name: 'Keep' });
    const dir = tempDir();
    const empty = join(dir, 'empty.json'); // what a failed `flowmcp export > empty.json` leaves
    writeFileSync(empty, '');
    expect(exportToFile(a.call, empty)).toEqual({ replaced: true });
    const sorted = join(dir, 'sorted.json');
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
    // Big enough that its meta, sorted last, is past the first 4 KB.
    const big = JSON.parse(exportState(a.call));
    big.flows[Object.keys(big.flows)[0]!].description = 'x'.repeat(10_000);
    writeFileSync(sorted, JSON.stringify(sortKeys(big), null, 2) + '\n');
    expect(readFileSync(sorted, 'utf8').indexOf('"exported_by"')).toBeGreaterThan(4096);
    expect(exportToFile(a.call, sorted)).toEqual({ replaced: true });
    expect(readFileSync(sorted, 'utf8')).toBe(exportState(a.call));
  });

  it('an export written by hand in the documented layout is read as an export, ids kept', () => {
    const b = ws();
    const doc = {
      version: '3.0',
      meta: { exported_by: 'flowmcp', format: 1 },
      current_flow_id: 'flow-hand',
      flows: {
        'flow-hand': {
          id: 'flow-hand', name: 'By hand', description: '', status: 'active', created: '2026-01-02T03:04:05.000Z', updated: '2026-01-02T03:04:05.000Z', revision: 1,
          plans: [{ id: 'plan-hand', title: 'P', objective: '', status: 'active', position: 1, created_at: '2026-01-02T03:04:05.000Z', updated_at: '2026-01-02T03:04:05.000Z', revision: 1, tasks: [{ id: 'task-hand', title: 'T', description: '', status: 'todo', priority: 'medium', position: 1, created_at: '2026-01-02T03:04:05.000Z', updated_at: '2026-01-02T03:04:05.000Z', revision: 1 }] }],
        },
      },
    };
    const file = join(tempDir(), 'export.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = importFile(b.call, file, {}) as { layout: string; created: Record<string, number> };
    expect(r.layout).toBe('flowmcp-export');
    expect(r.created).toMatchObject({ flows: 1, plans: 1, tasks: 1 });
    expect(JSON.parse(exportState(b.call)).flows['flow-hand'].plans[0].tasks[0].id).toBe('task-hand');
  });
});
