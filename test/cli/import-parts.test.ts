// A big legacy import is written in parts, each committed on its own (core/transfer/legacy-flows.ts):
// whoever stops it part-way must already know how to finish or undo it, so the command says so the
// moment its first part is written — and the undo it names really undoes the import.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const { dir, run } = cliProject();

describe('an import written in parts', () => {
  it('says, at its first part, how to finish or undo it; a small one says nothing of parts', () => {
    const small = join(dir(), 'small.json');
    writeFileSync(small, JSON.stringify({ flows: [{ id: 'f0', name: 'Only', plans: [{ id: 'p0', name: 'P', tasks: [{ id: 't0', name: 'T' }] }] }] }));
    const one = run('import', small);
    expect(one.code).toBe(0);
    expect(one.err).not.toContain('in parts');

    // 2,001 flows: one part of 2,000 flows and one of the rest.
    const flows = Array.from({ length: 2001 }, (_, i) => ({ id: `flow_${i}`, name: `Flow ${i}`, plans: [{ id: `plan_${i}`, name: 'P', tasks: [{ id: `task_${i}`, name: `Task ${i}` }] }] }));
    const big = join(dir(), 'flows.json');
    writeFileSync(big, JSON.stringify({ flows }));
    const r = run('import', big, '--json');
    expect(r.code).toBe(0);
    const m = /importing .*flows\.json in parts: part 1 is written\. If the import is stopped, run it again to finish \(what is written is recognised and skipped\), or undo it with: snapshot restore (s-[a-z0-9]+) --confirm/.exec(r.err);
    expect(m, r.err).not.toBeNull();
    expect(JSON.parse(r.out).snapshot).toBe(m![1]);

    // The undo it names takes the project back to before the import: only the small file's flow is left.
    expect(run('snapshot', 'restore', m![1]!, '--confirm').code).toBe(0);
    const left = JSON.parse(run('flow', 'list', '--json').out).flows.map((f: { name: string }) => f.name);
    expect(left).toEqual(['Only']);
  }, 120_000);
});
