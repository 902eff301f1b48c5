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
});
