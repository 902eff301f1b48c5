// Naming and matching hook events, the definition hash trust is recorded by, and the retry schedule.
import { describe, expect, it } from 'vitest';
import { postEvents, preEvents } from '../../../src/core/hooks/hook-events.js';
import { matchHook } from '../../../src/core/hooks/hook-match.js';
import { hookHash } from '../../../src/core/hooks/hook-trust.js';
import { backoffMs } from '../../../src/core/hooks/delivery.js';
import { HookDef, type HookDefV } from '../../../src/core/schemas/hooks.js';

const def = (over: Partial<HookDefV> = {}): HookDefV => HookDef.parse({ name: 'h', when: 'post', events: ['task.status_changed'], run: ['true'], ...over });

describe('hook events', () => {
  it('names event-log actions; a plan set to done is plan.completed before plan.updated', () => {
    expect(postEvents('task.set_status', { status: ['todo', 'done'] })).toEqual(['task.status_changed']);
    expect(postEvents('plan.update', { status: ['active', 'done'] })).toEqual(['plan.completed', 'plan.updated']);
    expect(postEvents('plan.update', { title: ['a', 'b'] })).toEqual(['plan.updated']);
    expect(postEvents('snapshot.create', undefined)).toEqual(['snapshot.created']);
    expect(postEvents('command.run', undefined)).toEqual(['command']);
    expect(postEvents('no.such', undefined)).toEqual([]);
  });

  it('names the pre event of a call about to run; reads and previews have none', () => {
    expect(preEvents('task', 'set_status', { id: 't-1', status: 'done' })).toEqual(['task.status_changed']);
    expect(preEvents('plan', 'update', { id: 'p-1', status: 'done' })).toEqual(['plan.completed', 'plan.updated']);
    expect(preEvents('flow', 'archive', { id: 'f-1' })).toEqual(['flow.updated']);
    expect(preEvents('command', 'run', { text: '/flow done x' })).toEqual(['command']);
    expect(preEvents('command', 'run', { text: '/flow done x', dry_run: true })).toEqual([]);
    for (const [tool, action] of [['task', 'list'], ['task', 'get'], ['task', 'next'], ['search', 'query'], ['document', 'read'], ['plan', 'use']]) {
      expect(preEvents(tool!, action!, {})).toEqual([]);
    }
  });

  it('matches events and filters (one value or several); "*" takes every event', () => {
    const h = def({ filter: { status: ['done', 'cancelled'], flow_id: 'f-1' } });
    expect(matchHook(h, ['task.status_changed'], { status: 'done', flow_id: 'f-1' })).toBe('task.status_changed');
    expect(matchHook(h, ['task.status_changed'], { status: 'todo', flow_id: 'f-1' })).toBeUndefined();
    expect(matchHook(h, ['task.status_changed'], { status: 'done', flow_id: null })).toBeUndefined();
    expect(matchHook(h, ['task.created'], { status: 'done', flow_id: 'f-1' })).toBeUndefined();
    expect(matchHook(def({ events: ['plan.updated'] }), ['plan.completed', 'plan.updated'], {})).toBe('plan.updated');
    expect(matchHook(def({ events: ['*'] }), ['plan.completed', 'plan.updated'], {})).toBe('plan.completed');
    // A project filter names the project as opened or its real path.
    const mine = def({ filter: { project: '/real/app' } });
    expect(matchHook(mine, ['task.status_changed'], { project: ['/link/app', '/real/app'] })).toBe('task.status_changed');
    expect(matchHook(mine, ['task.status_changed'], { project: ['/other'] })).toBeUndefined();
  });

  it('a definition is program or URL, never both; secret_env only with a URL', () => {
    expect(HookDef.safeParse({ name: 'h', when: 'post', events: ['*'] }).success).toBe(false);
    expect(HookDef.safeParse({ name: 'h', when: 'post', events: ['*'], run: ['x'], url: 'http://127.0.0.1/' }).success).toBe(false);
    expect(HookDef.safeParse({ name: 'h', when: 'post', events: ['*'], run: ['x'], secret_env: 'S' }).success).toBe(false);
    expect(HookDef.safeParse({ name: 'h', when: 'post', events: ['*'], url: 'file:///etc/passwd' }).success).toBe(false);
    expect(HookDef.safeParse({ name: 'h', when: 'post', events: ['task.done'], run: ['x'] }).success).toBe(false);
  });

  it('the trusted hash ignores key order and changes with any field', () => {
    const a = hookHash(def());
    expect(hookHash(HookDef.parse({ run: ['true'], events: ['task.status_changed'], when: 'post', name: 'h' }))).toBe(a);
    expect(hookHash(def({ run: ['true', 'x'] }))).not.toBe(a);
    expect(hookHash(def({ timeout_ms: 1000 }))).not.toBe(a);
  });

  it('retries back off exponentially, capped at a minute', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(30)).toBe(60_000);
  });
});
