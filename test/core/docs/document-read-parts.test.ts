// document read never floods the caller: a file up to READ_DEFAULT_BYTES comes whole; a longer one comes
// as its first whole lines with `part` saying which lines, how many there are and what to ask next;
// `lines` (a search hit's lines) answers exactly those, bounded too; following the notes from the
// first part to the last gives back the file byte for byte; a single line past the budget comes cut at
// a character boundary; lines past the end are refused with the count.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linesOf, READ_DEFAULT_BYTES, READ_MAX_BYTES } from '../../../src/core/docs/documents.js';
import { asyncCaller, flowWithPlan } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(async () => {
  t = tempWorkspace();
  await flowWithPlan(t.call);
});
afterEach(() => t.cleanup());

/** A project file of n numbered lines, each ~60 bytes, indexed. */
async function longFile(n: number, name = 'GUIDE.md'): Promise<string> {
  const text = `# Guide\n${Array.from({ length: n - 1 }, (_, i) => `line ${i + 2}: ${'word '.repeat(10)}end`).join('\n')}\n`;
  writeFileSync(join(t.dir, name), text);
  await asyncCaller(t.call).ok('document', { action: 'index', paths: [name] });
  return text;
}

describe('document read in parts', () => {
  it('a short file comes whole, with no part', async () => {
    await longFile(10);
    const r = await asyncCaller(t.call).ok('document', { action: 'read', path: 'GUIDE.md' });
    expect(r.content.split('\n')).toHaveLength(11); // ten lines and the final newline
    expect(r.part).toBeUndefined();
  });

  it('a long file comes as its first lines within the budget; following the notes gives back the whole file', async () => {
    const text = await longFile(2000); // ~120 KB
    const { ok } = asyncCaller(t.call);
    const first = await ok('document', { action: 'read', path: 'GUIDE.md' });
    expect(Buffer.byteLength(first.content)).toBeLessThanOrEqual(READ_DEFAULT_BYTES);
    expect(Buffer.byteLength(first.content)).toBeGreaterThan(READ_DEFAULT_BYTES - 100); // whole lines, as many as fit
    const [from, to] = first.part.lines as [number, number];
    expect(from).toBe(1);
    expect(first.part.total_lines).toBe(2000);
    expect(first.content.startsWith('# Guide\nline 2:')).toBe(true);
    expect(first.content.endsWith(`line ${to}: ${'word '.repeat(10)}end\n`)).toBe(true);
    expect(first.part.note).toContain(`Read on with lines: [${to + 1}, `);
    let whole = first.content;
    let note: string | undefined = first.part.note;
    let parts = 1;
    while (note) {
      const next = JSON.parse(/lines: (\[\d+, \d+\])/.exec(note)![1]!) as [number, number];
      const r = await ok('document', { action: 'read', path: 'GUIDE.md', lines: next });
      expect(r.part.lines).toEqual(next);
      whole += r.content;
      note = r.part.lines[1] < 2000 ? `lines: [${r.part.lines[1] + 1}, ${Math.min(2000, r.part.lines[1] + to)}]` : undefined;
      parts++;
    }
    expect(whole).toBe(text);
    expect(parts).toBe(Math.ceil(2000 / to));
  });

  it('lines answers exactly those lines (from 1, both included), as a search hit gives them', async () => {
    await longFile(50);
    const r = await asyncCaller(t.call).ok('document', { action: 'read', path: 'GUIDE.md', lines: [3, 5] });
    expect(r.content).toBe([3, 4, 5].map((i) => `line ${i}: ${'word '.repeat(10)}end`).join('\n') + '\n');
    expect(r.part).toEqual({ lines: [3, 5], total_lines: 50 });
    // A range running past the end stops at the last line.
    expect((await asyncCaller(t.call).ok('document', { action: 'read', path: 'GUIDE.md', lines: [49, 80] })).part.lines).toEqual([49, 50]);
  });

  it('refuses lines past the end (with the count) and a range backwards, reading nothing', async () => {
    await longFile(50);
    const { fail } = asyncCaller(t.call);
    const past = await fail('document', { action: 'read', path: 'GUIDE.md', lines: [51, 60] });
    expect(past.code).toBe('invalid_input');
    expect(past.message).toContain('has 50 lines; lines from 51 are past its end');
    const backwards = await fail('document', { action: 'read', path: 'GUIDE.md', lines: [5, 3] });
    expect(backwards.message).toContain('the first line must not come after the last');
  });

  it('a range is bounded too, and one line longer than the budget comes cut at a character boundary', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `${i + 1} ${'x'.repeat(60)}`).join('\n');
    const r = linesOf(big, 'big.md', [1, 5000]);
    expect(Buffer.byteLength(r.content)).toBeLessThanOrEqual(READ_MAX_BYTES);
    expect(r.part!.lines[1]).toBeLessThan(5000);
    expect(r.part!.note).toContain(`Read on with lines: [${r.part!.lines[1] + 1}, `);
    // A minified file: one line of 3-byte characters, far past the budget.
    const minified = '한'.repeat(20_000);
    const cut = linesOf(minified, 'min.js', undefined);
    expect(Buffer.byteLength(cut.content)).toBeLessThanOrEqual(READ_DEFAULT_BYTES);
    expect(cut.content).toBe('한'.repeat(Math.floor(READ_DEFAULT_BYTES / 3)));
    expect(cut.part).toMatchObject({ lines: [1, 1], total_lines: 1 });
    expect(cut.part!.note).toContain(`Line 1 alone is longer than ${READ_DEFAULT_BYTES} bytes`);
  });
});
