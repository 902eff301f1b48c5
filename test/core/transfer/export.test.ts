// Export writes the "3.0" layout extended with everything flowmcp keeps; importing it into an empty
// project and exporting again gives the same bytes; importing it twice creates nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportState } from '../../../src/core/transfer/export.js';
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
});
