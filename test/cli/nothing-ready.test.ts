// `task claim` and `task next` when nothing is ready, on the real binary: not an error (nothing on stderr),
// the answer one plain sentence saying nothing is ready and why, the same for both commands; claim exits
// 1 (nothing was claimed, so a `while flowmcp task claim me` loop ends), next 0 (its answer is the news).
import { describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const { run } = cliProject();

describe('nothing ready', () => {
  it('claim (exit 1) and next (exit 0) say the same plain sentence, before any task and while all are claimed', () => {
    expect(run('flow', 'create', 'Quiet').code).toBe(0);
    expect(run('plan', 'create', 'Build').code).toBe(0);
    const check = (why: RegExp) => {
      const claim = run('task', 'claim', 'agent-1');
      const next = run('task', 'next');
      expect(claim.code, claim.err).toBe(1);
      expect(next.code, next.err).toBe(0);
      for (const r of [claim, next]) {
        expect(r.err).toBe('');
        expect(r.out).toMatch(/^Nothing is ready in flow f-\S+: /);
        expect(r.out).toMatch(why);
        expect(r.out.trim().split('\n')).toHaveLength(1);
      }
      expect(claim.out).toBe(next.out);
    };
    check(/no open tasks/);
    expect(run('task', 'create', 'Only one').code).toBe(0);
    expect(run('task', 'claim', 'agent-1').code).toBe(0);
    check(/1 in progress \(1 claimed\)/);
    // /flow next says it the same way after the line that ran.
    const flowNext = run('run', '/flow next');
    expect(flowNext.code).toBe(0);
    expect(flowNext.out).toContain(run('task', 'next').out.trim());
    // For scripts: the JSON still has task null and the reason.
    const json = JSON.parse(run('task', 'claim', 'agent-2', '--json').out) as { task: unknown; reason: string };
    expect(json.task).toBeNull();
    expect(json.reason).toMatch(/^Nothing is ready/);
  });
});
