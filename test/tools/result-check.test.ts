// Every tool result in the suite is checked against the schema of the action that produced it
// (src/tools/result-check.ts, switched on in vitest.config): this makes sure the check is on and bites.
import { describe, expect, it } from 'vitest';
import { checkResult, checkResults } from '../../src/tools/result-check.js';
import { toolOutput } from '../../src/tools/define.js';
import { findToolSpec, TOOLS } from '../../src/tools/registry.js';

describe('result check', () => {
  const task = findToolSpec('task')!;
  const deleted = { kind: 'task', id: 't-1', title: 'x' };

  it('is on for the whole suite', () => {
    expect(checkResults).toBe(true);
  });

  it('accepts exactly what the schema says, and refuses a missing, mistyped or unnamed field', () => {
    expect(() => checkResult(task, 'delete', { deleted, snapshot: 's-1' })).not.toThrow();
    expect(() => checkResult(task, 'delete', { deleted })).toThrow(/snapshot/);
    expect(() => checkResult(task, 'delete', { deleted, snapshot: 1 })).toThrow(/snapshot/);
    expect(() => checkResult(task, 'delete', { deleted: { ...deleted, extra: 1 }, snapshot: 's-1' })).toThrow(/deleted\.extra/);
  });

  it('the published output object names every property an action returns (open tools: those several forms share), plus action and error', () => {
    for (const t of TOOLS) {
      const published = Object.keys(toolOutput(t).shape);
      expect(published.at(-1)).toBe('error');
      if (!t.actionless) expect(published[0]).toBe('action');
      if (t.open) continue;
      for (const a of Object.values(t.actions)) {
        const forms = 'options' in a.output ? a.output.options : [a.output];
        for (const f of forms) for (const k of Object.keys(f.shape)) expect(published, `${t.name}: ${k}`).toContain(k);
      }
    }
  });
});
