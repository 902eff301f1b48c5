// How a long plain-language line is cut into the parts read on their own (the request without its
// leading context or its trailing reason): a few clauses each way, however many the line has, because
// every part is one more pass over every pattern and every title in the project. And a dry run asked
// for in words is a dry run.
import { describe, expect, it } from 'vitest';
import { parts, MAX_PARTS } from '../../src/commands/natural.js';
import { parseCommand } from '../../src/commands/parse.js';
import { tempWorkspace } from '../helpers/workspace.js';

describe('parts of a request', () => {
  it('a sentence of a few clauses is read without each leading clause, then without each trailing one', () => {
    expect(parts('ok so the webhook is merged, mark stripe webhook done, thanks')).toEqual([
      'mark stripe webhook done, thanks',
      'thanks',
      'ok so the webhook is merged, mark stripe webhook done',
      'ok so the webhook is merged',
    ]);
  });

  it('a 600-character line of 150 clauses is tried in a bounded number of parts, the first and last clauses kept', () => {
    const line = `mark x done, ${'a, '.repeat(146)}b`;
    const got = parts(line);
    expect(got.length).toBeLessThanOrEqual(MAX_PARTS);
    expect(got).toContain('mark x done'); // the request before its trailing asides
    expect(got).toContain('a, b'); // and the last clauses without what led up to them
  });
});

describe('a dry run asked for in words', () => {
  it('"가져오기 해줘, 먼저 dry run으로" reads the import as a dry run; without those words it is the import itself', () => {
    const t = tempWorkspace();
    try {
      const first = parseCommand(t.call, '예전 workflow.json 가져오기 해줘, 먼저 dry run으로');
      expect(first).toMatchObject({ kind: 'run', dry_run: true, command: { tool: 'import', args: { file: 'workflow.json' } } });
      expect(parseCommand(t.call, 'workflow.json 가져와줘')).toMatchObject({ kind: 'run', dry_run: false, command: { tool: 'import' } });
    } finally {
      t.cleanup();
    }
  });
});
