// Three-way merge of hand edits: each side's change is kept when only one side made it, the same
// change on both sides is no conflict, and different changes to the same item are reported.
import { describe, expect, it } from 'vitest';
import type { ContextFileT } from '../../src/memory-format/layout.js';
import { mergeEdits } from '../../src/memory-format/merge.js';

function doc(over: Partial<ContextFileT> = {}): ContextFileT {
  return {
    format: 'flowmcp-context',
    version: 1,
    flow: { id: 'f-1', name: 'F' },
    revision: 1,
    updated_at: 't',
    summary: 'S',
    decisions: [{ id: 'c-d', what: 'Use JWT', why: 'stateless' }],
    questions: [{ id: 'c-q', text: 'Revocation?' }],
    next_steps: [{ id: 'c-n', text: 'Rotate keys' }],
    insights: [],
    preferences: [],
    active: { plan_id: null, task_id: null },
    files_touched: ['a.ts'],
    ...over,
  };
}

describe('mergeEdits', () => {
  it('nothing edited, nothing to do', () => {
    expect(mergeEdits(doc(), doc(), doc())).toEqual({ ops: [], conflicts: [] });
  });

  it('one side changed: applied', () => {
    const edited = doc({ decisions: [{ id: 'c-d', what: 'Use JWT (RS256)', why: 'stateless' }], next_steps: [], files_touched: ['a.ts', 'b.ts'] });
    expect(mergeEdits(doc(), edited, doc()).ops).toEqual([
      { op: 'edit', id: 'c-d', text: 'Use JWT (RS256)', why: 'stateless' },
      { op: 'close', id: 'c-n' },
      { op: 'files', files: ['a.ts', 'b.ts'] },
    ]);
  });

  it('the same change on both sides is not a conflict', () => {
    const both = doc({ summary: 'New', questions: [{ id: 'c-q', text: 'Revocation lists?' }] });
    expect(mergeEdits(doc(), both, both)).toEqual({ ops: [], conflicts: [] });
  });

  it('different changes to one item, or a removal of something edited since, are conflicts', () => {
    const edited = doc({ summary: 'Mine', questions: [] });
    const current = doc({ summary: 'Theirs', questions: [{ id: 'c-q', text: 'Revocation, really?' }] });
    const r = mergeEdits(doc(), edited, current);
    expect(r.ops).toEqual([]);
    expect(r.conflicts).toEqual([expect.stringMatching(/^summary/), expect.stringMatching(/^question c-q: removed in the file but edited/)]);
  });

  it('items added by hand carry no id; text the database already has is not added twice', () => {
    const edited = doc({ questions: [{ id: 'c-q', text: 'Revocation?' }, { text: 'Who owns keys?' }, { text: 'Revocation?' }] });
    expect(mergeEdits(doc(), edited, doc()).ops).toEqual([{ op: 'add', kind: 'question', text: 'Who owns keys?' }]);
  });

  it('an item edited differently in the file and in the database is a conflict; the database version is kept, never the file silently', () => {
    const edited = doc({ decisions: [{ id: 'c-d', what: 'Use JWT (mine)', why: 'stateless' }], next_steps: [{ id: 'c-n', text: 'Rotate keys weekly' }] });
    const current = doc({ decisions: [{ id: 'c-d', what: 'Use JWT (theirs)', why: 'stateless' }], next_steps: [{ id: 'c-n', text: 'Rotate keys monthly' }] });
    const r = mergeEdits(doc(), edited, current);
    expect(r.ops).toEqual([]);
    expect(r.conflicts).toEqual([
      'decision c-d: edited in the file and in the database since; the database version was kept',
      'next_step c-n: edited in the file and in the database since; the database version was kept',
    ]);
    // Only the reason changed on one side and the text on the other: still both sides, still a conflict.
    const whyOnly = mergeEdits(doc(), doc({ decisions: [{ id: 'c-d', what: 'Use JWT', why: 'scales' }] }), doc({ decisions: [{ id: 'c-d', what: 'Use JWT!', why: 'stateless' }] }));
    expect(whyOnly).toEqual({ ops: [], conflicts: ['decision c-d: edited in the file and in the database since; the database version was kept'] });
  });

  it('the summary and files_touched changed on both sides are conflicts; changed only in the database, nothing to do', () => {
    const r = mergeEdits(doc(), doc({ summary: 'Mine', files_touched: ['mine.ts'] }), doc({ summary: 'Theirs', files_touched: ['theirs.ts'] }));
    expect(r).toEqual({
      ops: [],
      conflicts: [
        'summary: changed in the file and in the database since the file was written; the database version was kept',
        'files_touched: changed in the file and in the database since; the database list was kept',
      ],
    });
    expect(mergeEdits(doc(), doc(), doc({ summary: 'Theirs', files_touched: ['theirs.ts'], questions: [] }))).toEqual({ ops: [], conflicts: [] });
    // Whitespace around the summary is no change; an emptied summary does not wipe the database's.
    expect(mergeEdits(doc(), doc({ summary: '  S \n' }), doc())).toEqual({ ops: [], conflicts: [] });
    expect(mergeEdits(doc(), doc({ summary: '   ' }), doc())).toEqual({ ops: [], conflicts: [] });
    expect(mergeEdits(doc(), doc({ summary: '  New  ' }), doc()).ops).toEqual([{ op: 'summary', text: 'New' }]);
    // No base (the file was never written by flowmcp): everything in the file counts as an edit.
    expect(mergeEdits(undefined, doc({ summary: 'From file', decisions: [], questions: [], next_steps: [], files_touched: [] }), doc({ summary: '', decisions: [], questions: [], next_steps: [], files_touched: [] }))).toEqual({
      ops: [{ op: 'summary', text: 'From file' }],
      conflicts: [],
    });
  });

  it('spaces around a summary never count as a change, on any side', () => {
    // Base written with spaces, file without: no change. File changed, database as written: applied.
    expect(mergeEdits(doc({ summary: '  S  ' }), doc({ summary: 'S' }), doc({ summary: '  S  ' }))).toEqual({ ops: [], conflicts: [] });
    expect(mergeEdits(doc({ summary: ' S ' }), doc({ summary: 'New' }), doc({ summary: ' S ' }))).toEqual({ ops: [{ op: 'summary', text: 'New' }], conflicts: [] });
    // The same new summary on both sides, spaced differently: no conflict.
    expect(mergeEdits(doc(), doc({ summary: 'New' }), doc({ summary: ' New ' }))).toEqual({ ops: [], conflicts: [] });
    expect(mergeEdits(doc(), doc({ summary: ' New ' }), doc({ summary: 'New' }))).toEqual({ ops: [], conflicts: [] });
  });

  it('an item edited in the file but closed in the database since is a conflict, not a resurrection', () => {
    const r = mergeEdits(doc(), doc({ questions: [{ id: 'c-q', text: 'Revocation lists?' }] }), doc({ questions: [] }));
    expect(r).toEqual({ ops: [], conflicts: ['question c-q: edited in the file but closed in the database since; the database was kept'] });
    // Left as it was in the file and closed in the database: nothing to do either way.
    expect(mergeEdits(doc(), doc(), doc({ questions: [] }))).toEqual({ ops: [], conflicts: [] });
    // Removed in the file and already closed in the database: nothing to do.
    expect(mergeEdits(doc(), doc({ questions: [] }), doc({ questions: [] }))).toEqual({ ops: [], conflicts: [] });
  });

  it('an item the database added since the file was written is edited from the file when only the file changed it', () => {
    const current = doc({ insights: [{ id: 'c-i', text: 'Tokens leak in logs' }] });
    const edited = doc({ insights: [{ id: 'c-i', text: 'Tokens leak in debug logs' }] });
    expect(mergeEdits(doc(), edited, current).ops).toEqual([{ op: 'edit', id: 'c-i', text: 'Tokens leak in debug logs', why: '' }]);
    // A decision added by hand keeps its reason; blank lines are not items.
    const added = mergeEdits(doc(), doc({ decisions: [{ id: 'c-d', what: 'Use JWT', why: 'stateless' }, { what: 'Rotate', why: 'hygiene' } as never, { what: '  ' } as never] }), doc());
    expect(added.ops).toEqual([{ op: 'add', kind: 'decision', text: 'Rotate', why: 'hygiene' }]);
    // A decision added by hand without a reason gets none; an id flowmcp never wrote is a new item.
    expect(mergeEdits(doc(), doc({ decisions: [{ id: 'c-d', what: 'Use JWT', why: 'stateless' }, { what: 'No reason' } as never] }), doc()).ops).toEqual([{ op: 'add', kind: 'decision', text: 'No reason' }]);
    expect(mergeEdits(doc(), doc({ questions: [{ id: 'c-q', text: 'Revocation?' }, { id: 'c-made-up', text: 'Typed by hand' }] }), doc())).toEqual({ ops: [{ op: 'add', kind: 'question', text: 'Typed by hand' }], conflicts: [] });
    // Preferences are merged like the other lists.
    const pref = mergeEdits(doc(), doc({ preferences: [{ text: 'Prefer small PRs' }] as never }), doc());
    expect(pref.ops).toEqual([{ op: 'add', kind: 'preference', text: 'Prefer small PRs' }]);
  });
});
