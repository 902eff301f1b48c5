// context.json is bounded like context save: a planted file beyond the limits is kept aside whole
// (never merged, never read past the size bound); a large legitimate context stays cheap to read; and
// save says what it saved and why input is refused.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addEntry } from '../../../src/core/memory/context.js';
import { syncContextFile } from '../../../src/core/memory/context-file.js';
import { ContextFile } from '../../../src/memory-format/layout.js';
import { CONTEXT_LIMITS, MAX_CONTEXT_FILE_BYTES } from '../../../src/model/limits.js';
import { bumpRevision, countEntries } from '../../../src/store/context.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();

function project() {
  const t = freshWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Auth' }).flow.id as string;
  c.ok('context', { action: 'save', summary: 'Mine.' });
  const file = join(t.dir, '.flow', 'context', `${flow}.json`);
  return { t, ...c, flow, file, doc: () => JSON.parse(readFileSync(file, 'utf8')) };
}

describe('a planted context.json', () => {
  it.each([
    ['a 5 MB note', (d: any) => (d.note = 'x'.repeat(5_000_000))],
    ['a note longer than flowmcp writes', (d: any) => (d.note = 'x'.repeat(CONTEXT_LIMITS.fileNote + 1))],
    ['more decisions than a file holds', (d: any) => (d.decisions = Array.from({ length: CONTEXT_LIMITS.fileEntriesPerKind + 1 }, (_, i) => ({ what: `planted ${i}` })))],
    ['a question longer than context save takes', (d: any) => (d.questions = [{ text: 'q'.repeat(CONTEXT_LIMITS.item + 1) }])],
    ['a flow name longer than a name may be', (d: any) => (d.flow.name = 'n'.repeat(201))],
  ])('with %s is kept aside whole, nothing merged', (_name, plant) => {
    const p = project();
    const d = p.doc();
    plant(d);
    writeFileSync(p.file, JSON.stringify(d));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge.outcome).toBe('unreadable');
    expect(r.decisions_total).toBe(0);
    expect(countEntries(p.t.ws.db, p.flow, 'question', 'open')).toBe(0);
    expect(readdirSync(join(p.t.dir, '.flow', 'context')).some((f) => f.includes('.unreadable-'))).toBe(true);
    expect(p.doc().summary).toBe('Mine.');
  });

  it('is refused by size before it is read: the bound is what the limits allow, far below 32 MB', () => {
    expect(MAX_CONTEXT_FILE_BYTES).toBeLessThanOrEqual(4 * 1024 * 1024);
    const p = project();
    writeFileSync(p.file, ' '.repeat(MAX_CONTEXT_FILE_BYTES + 1));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge).toMatchObject({ outcome: 'unreadable', error: expect.stringMatching(/larger than/) });
  });
});

describe('a large legitimate context', () => {
  it('the file holds the newest entries of each kind, says how many are left out, and reads back', () => {
    const p = project();
    const n = CONTEXT_LIMITS.fileEntriesPerKind + 5;
    p.t.ws.write(() => {
      for (let i = 0; i < n; i++) addEntry(p.t.call, p.flow, { kind: 'question', text: `Question ${i}?` });
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    syncContextFile(p.t.call, p.flow);
    const d = p.doc();
    expect(ContextFile.safeParse(d).success).toBe(true);
    expect(d.questions).toHaveLength(CONTEXT_LIMITS.fileEntriesPerKind);
    expect(d.questions.at(-1).text).toBe(`Question ${n - 1}?`);
    expect(d.omitted).toEqual({ questions: 5 });
    // Removing an item by hand still closes just that one; the left-out ones are untouched.
    d.questions = d.questions.slice(1);
    writeFileSync(p.file, JSON.stringify(d, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge).toMatchObject({ outcome: 'merged', applied: 1 });
    expect(countEntries(p.t.ws.db, p.flow, 'question', 'open')).toBe(n - 1);
  });

  it('a context call leaves an unchanged file alone: not rewritten, not re-read', () => {
    const p = project();
    const before = statSync(p.file, { bigint: true });
    for (let i = 0; i < 3; i++) p.ok('context', { action: 'get' });
    p.ok('context', { action: 'resume' });
    const after = statSync(p.file, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });

  it('resume counts what it did not read among what was left out', () => {
    const p = project();
    p.t.ws.write(() => {
      for (let i = 0; i < 1500; i++) addEntry(p.t.call, p.flow, { kind: 'decision', text: `Decision ${i}` });
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    const r = p.ok('context', { action: 'resume', budget_tokens: 300 });
    const shown = (r.text.match(/^- .*Decision \d+/gm) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown + r.omitted.decisions).toBe(1500);
    expect(r.text).toMatch(/Decision 1499/);
  });
});

describe('context save answers', () => {
  it('a decision too long says so and gives the limit', () => {
    const p = project();
    for (const decision of ['d'.repeat(4001), { what: 'd'.repeat(4001) }]) {
      const e = p.fail('context', { action: 'save', decision });
      expect(e.message).toMatch(/decision(\.what)?: must be at most 4,000 characters/);
      expect(e.message).not.toMatch(/Invalid input/);
    }
  });

  it('too many items says the limit', () => {
    const p = project();
    expect(p.fail('context', { action: 'save', files: Array.from({ length: 51 }, (_, i) => `f${i}.ts`) }).message).toMatch(/files: must be at most 50 items/);
  });

  it('files: says which files it saved', () => {
    const p = project();
    const r = p.ok('context', { action: 'save', files: ['src/a.ts', 'src/b.ts', 'src/a.ts'] });
    expect(r.files_saved).toEqual(['src/a.ts', 'src/b.ts']);
    expect(p.ok('context', { action: 'get' }).files_touched).toEqual(expect.arrayContaining(['src/a.ts', 'src/b.ts']));
  });
});
