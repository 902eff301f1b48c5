// Naming and matching hook events, the definition hash trust is recorded by, and the retry schedule.
import { describe, expect, it } from 'vitest';
import { postEvents, preEvents } from '../../../src/core/hooks/hook-events.js';
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchHook, projectPaths } from '../../../src/core/hooks/hook-match.js';
import { hookHash } from '../../../src/core/hooks/hook-trust.js';
import { backoffMs } from '../../../src/core/hooks/delivery.js';
import { HookDef, type HookDefV } from '../../../src/core/schemas/hooks.js';
import { TOOLS } from '../../../src/tools/registry.js';

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

  it('every action of every tool has its pre event decided: changes are named as their event-log rows, reads and previews none', () => {
    const expected: Record<string, string[]> = {
      'flow.create': ['flow.created'], 'flow.update': ['flow.updated'], 'flow.archive': ['flow.updated'], 'flow.delete': ['flow.deleted'],
      'plan.create': ['plan.created'], 'plan.update': ['plan.updated'], 'plan.reorder': ['plan.updated'], 'plan.delete': ['plan.deleted'],
      'task.create': ['task.created'], 'task.update': ['task.updated'], 'task.set_status': ['task.status_changed'], 'task.move': ['task.moved'],
      'task.delete': ['task.deleted'], 'task.claim': ['task.claimed'], 'task.release': ['task.released'],
      'task.depend': ['task.dependency_added'], 'task.undepend': ['task.dependency_removed'],
      'document.write': ['document.written'], 'document.delete': ['document.deleted'],
      'context.save': ['context.saved'], 'context.merge': ['context.saved'], 'context.import': ['imported'],
      'snapshot.create': ['snapshot.created'], 'snapshot.restore': ['snapshot.restored'], 'snapshot.prune': ['snapshot.pruned'],
      'command.run': ['command'],
    };
    const got: Record<string, string[]> = {};
    for (const spec of TOOLS) for (const action of Object.keys(spec.actions)) {
      const events = preEvents(spec.name, action, {});
      if (events.length) got[`${spec.name}.${action}`] = events;
    }
    const known = Object.fromEntries(Object.entries(expected).filter(([k]) => TOOLS.some((t) => k.startsWith(`${t.name}.`) && k.slice(t.name.length + 1) in t.actions)));
    expect(got).toEqual(known);
    // Named explicitly: document index/reindex/link/unlink change no document, context reads, a plan's status not done.
    for (const a of ['index', 'reindex', 'link', 'unlink', 'read', 'list']) expect(preEvents('document', a, { path: 'x' })).toEqual([]);
    expect(preEvents('plan', 'update', { id: 'p-1', status: 'active' })).toEqual(['plan.updated']);
    expect(preEvents('snapshot', 'prune', { dry_run: true })).toEqual([]);
    expect(preEvents('snapshot', 'prune', { dry_run: false })).toEqual(['snapshot.pruned']);
    // "prune" is a snapshot's action only, "archive" a flow's.
    expect(preEvents('context', 'prune', {})).toEqual([]);
    expect(preEvents('task', 'archive', {})).toEqual([]);
    expect(preEvents('plan', 'archive', {})).toEqual([]);
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

  it('a filter on a field whose value cannot be known passes (a guard runs rather than being skipped); a missing value matches no filter', () => {
    const h = def({ filter: { flow_id: 'f-1', agent: 'me' } });
    expect(matchHook(h, ['task.status_changed'], { flow_id: [], agent: 'me' }, ['flow_id'])).toBe('task.status_changed');
    expect(matchHook(h, ['task.status_changed'], { flow_id: [], agent: 'me' })).toBeUndefined();
    expect(matchHook(h, ['task.status_changed'], { flow_id: ['f-2', 'f-1'], agent: 'me' })).toBe('task.status_changed');
    expect(matchHook(h, ['task.status_changed'], { flow_id: 'f-1' })).toBeUndefined();
    expect(matchHook(h, ['task.created'], { flow_id: 'f-1', agent: 'me' }, ['flow_id'])).toBeUndefined();
  });

  it('a project filter may name the project as opened or its real path', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'flowmcp-paths-')));
    try {
      symlinkSync(dir, join(`${dir}-link`));
      expect(projectPaths(dir)).toEqual([dir]);
      expect(projectPaths(`${dir}-link`)).toEqual([`${dir}-link`, dir]);
    } finally {
      rmSync(`${dir}-link`, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
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
