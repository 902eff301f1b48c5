// What an import of the earlier Flow system's context.json gives: every item of every section, as the
// entry kind and text a user then reads in `context get`, blank items left out, and keys that stay the
// same across versions (a file imported by an earlier flowmcp is not imported again).
import { describe, expect, it } from 'vitest';
import { LegacyContext, legacyContextEntries } from '../../../src/store/legacy/context.js';

const read = (v: unknown) => legacyContextEntries(LegacyContext.parse(v));
const texts = (v: unknown) => read(v).entries.map(({ key: _key, ...e }) => e);

describe('legacy context.json', () => {
  it('every section becomes entries, in file order, with the decision\'s time, rationale and old plan/task', () => {
    const r = read({
      memory: {
        active_plan_id: 'plan_1',
        active_task_id: 'task_1',
        recent_decisions: [
          { timestamp: '2025-07-21T10:15:33', decision: 'Use SQLite', rationale: 'one file', plan_id: 'plan_1', task_id: 'task_1' },
          { decision: 'Ship it', plan_id: null, task_id: null },
        ],
        open_files: ['a.ts', 'b.ts'],
        modified_files: ['b.ts', 'c.ts'],
        error_context: [
          { timestamp: '2025-07-22T08:00:00', error: 'E1', solution: 'fix it', file_path: 'x.py', success: false },
          { error: 'E2', success: true },
        ],
      },
      conversation: {
        last_topics: ['search', { t: 1 }],
        key_insights: ['fast enough', { note: 'n' }],
        user_preferences: { language: 'ko', verbose: false },
        clarifications: ['tabs, not spaces'],
      },
      project: {
        tech_stack: ['node', 'sqlite'],
        architecture_decisions: ['arrows point down'],
        code_patterns: { errors: 'FlowError' },
        naming_conventions: { files: { case: 'kebab' } },
      },
    });
    expect(r.entries.map(({ key: _key, ...e }) => e)).toEqual([
      { kind: 'decision', text: 'Use SQLite', why: 'one file', at: '2025-07-21T10:15:33', legacy_plan_id: 'plan_1', legacy_task_id: 'task_1' },
      { kind: 'decision', text: 'Ship it' },
      { kind: 'decision', text: 'arrows point down' },
      { kind: 'insight', text: 'Error: E1 — fix: fix it (x.py) [not solved]', at: '2025-07-22T08:00:00' },
      { kind: 'insight', text: 'Error: E2' },
      { kind: 'insight', text: 'fast enough' },
      { kind: 'insight', text: '{"note":"n"}' },
      { kind: 'insight', text: 'Clarified: tabs, not spaces' },
      { kind: 'insight', text: 'Recent topics: search; {"t":1}' },
      { kind: 'insight', text: 'Tech stack: node, sqlite' },
      { kind: 'insight', text: 'Code pattern errors: FlowError' },
      { kind: 'preference', text: 'Naming files: {"case":"kebab"}' },
      { kind: 'preference', text: 'language: ko' },
      { kind: 'preference', text: 'verbose: false' },
    ]);
    // Files once each, modified ones first; the active plan and task as the file names them.
    expect(r.files).toEqual(['b.ts', 'c.ts', 'a.ts']);
    expect(r.active).toEqual({ plan: 'plan_1', task: 'task_1' });
  });

  it('a file with only a conversation section is read with the rest empty; no active plan or task named', () => {
    const r = read({ conversation: { key_insights: ['only this'] } });
    expect(r.entries.map((e) => e.text)).toEqual(['only this']);
    expect(r.files).toEqual([]);
    expect(r.active).toEqual({});
    expect(read({ memory: { active_task_id: 't' } }).active).toEqual({ task: 't' });
    expect(read({ memory: { active_plan_id: 'p', active_task_id: null } }).active).toEqual({ plan: 'p' });
  });

  it('blank items are left out; empty topic and stack lists add no line', () => {
    expect(
      texts({
        memory: { recent_decisions: [{ decision: '   ' }, { decision: '\n' }, { decision: 'kept' }] },
        conversation: { key_insights: ['', ' '], last_topics: [] },
        project: { tech_stack: [], architecture_decisions: ['\t'] },
      }),
    ).toEqual([{ kind: 'decision', text: 'kept' }]);
  });

  it('keys are the ones earlier versions stored, so a file imported before adds nothing now', () => {
    const [a, b] = read({ memory: { recent_decisions: [{ decision: 'Use SQLite', rationale: 'one file', timestamp: '2025-07-21T10:15:33' }, { decision: 'Ship it' }] } }).entries;
    // sha256 of kind, time, text and why joined by NUL (a missing part as ''), first 24 hex digits.
    expect(a!.key).toBe('ea753b80f89ff1f8103dfa5e');
    expect(b!.key).toBe('e2223f903d2b659619fc3452');
  });

  it('items whose parts differ only where one part ends and the next begins are two items, not one', () => {
    const r = read({ memory: { recent_decisions: [{ decision: 'ab', rationale: 'c' }, { decision: 'a', rationale: 'bc' }] } });
    expect(new Set(r.entries.map((e) => e.key)).size).toBe(2);
  });
});
