// A flows.json over 32 MB is read a flow at a time (core/transfer/import-file.ts); it must import exactly
// what the same flows in a small file import, and a damaged one is refused with its line and column,
// nothing imported. The files are big only by an unknown field the import ignores.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, STREAM_OVER } from '../../../src/core/transfer/import-file.js';
import { defaultFlow } from '../../../src/core/kernel/session.js';
import { dumpDb, tempDir, workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();
const pad = 'x'.repeat(STREAM_OVER / 3);

/** The flows imported (by name), and the one that became the default flow. */
function flowsIn(file: string, doc: unknown): { names: string[]; current: string | undefined } {
  const t = freshWorkspace();
  const path = join(tempDir(), file);
  writeFileSync(path, JSON.stringify(doc));
  importFile(t.call, path, {});
  const flows = dumpDb(t.ws).flows as { id: string; name: string }[];
  const current = defaultFlow(t.ws.db);
  return { names: flows.map((f) => f.name).sort(), current: flows.find((f) => f.id === current)?.name };
}

describe('a flows.json too big to read whole', () => {
  it('imports the same flows as the small file; what is not a flow in the list is skipped by both', () => {
    const flows = [{ id: 'f1', name: 'A', junk: pad }, [], ['x'], 1, null, { id: 'f2', name: 'B', junk: pad }, 'note', true, -2.5, { id: 'f3', name: 'C', junk: pad }];
    const small = flowsIn('small.json', { flows: flows.map((f) => (f !== null && typeof f === 'object' && !Array.isArray(f) ? { ...f, junk: '' } : f)), current_flow_id: 'f2' });
    expect(small).toEqual({ names: ['A', 'B', 'C'], current: 'B' });
    expect(flowsIn('big.json', { flows, current_flow_id: 'f2' })).toEqual(small);
  }, 60_000);

  it('a damaged one is refused with its line and column, nothing imported; one with no flows list is told so', () => {
    const t = freshWorkspace();
    const dir = tempDir();
    const before = dumpDb(t.ws);
    const broken = join(dir, 'flows.json');
    // Over the streaming size, so the damage is found while reading a flow at a time.
    const padded = (id: string) => `{"id": "${id}", "name": "A", "junk": "${pad}"}`;
    writeFileSync(broken, `{"flows": [\n${padded('f1')}, ${padded('f3')}, ${padded('f4')},\n{"id": "f2" "name": "B"}\n]}`);
    expect(statSync(broken).size).toBeGreaterThan(STREAM_OVER);
    expect(() => importFile(t.call, broken, {})).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/flows\.json is not valid JSON \(line 3, column 13: unexpected character\)\.$/),
        hint: 'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
        details: { line: 3, column: 13 },
      }),
    );
    const none = join(dir, 'other.json');
    writeFileSync(none, JSON.stringify({ plans: [{ name: 'P', junk: pad }, { name: 'Q', junk: pad }, { name: 'R', junk: pad }] }));
    expect(() => importFile(t.call, none, {})).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/\/other\.json is over 32 MB and has no top-level "flows" list; files that big are read as list-layout flows\.json only\.$/),
        hint: 'Split the file, or import a list-layout flows.json; nothing was imported.',
      }),
    );
    expect(dumpDb(t.ws)).toEqual(before);
  }, 60_000);
});
