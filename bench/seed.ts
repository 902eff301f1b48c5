// Builds a project with N tasks through the core (the same path the tools take), in batches.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, type Call } from '../src/core/kernel/workspace.js';
import { dispatch } from '../src/tools/dispatch.js';
import { findToolSpec } from '../src/tools/registry.js';

const PLANS = 20;
const BATCH = 500;

/** Calls tools in-process the way the server does; a refused call is a broken benchmark, so it throws. */
export function toolCaller(call: Call): (tool: string, args: Record<string, unknown>) => Record<string, any> {
  return (tool, args) => {
    const o = dispatch(findToolSpec(tool)!, call, args);
    if (o.isError) throw new Error(JSON.stringify(o.structured));
    return o.structured as Record<string, any>;
  };
}

export interface SeedShape {
  /** Plans the tasks are spread over (default 20). */
  plans?: number;
  /** Every urgent task waits on a low-priority task of the same plan: `next` must look past them all. */
  urgentBlocked?: boolean;
}

export function seedProject(tasks: number, shape: SeedShape = {}): { dir: string; taskIds: string[] } {
  const plans = shape.plans ?? PLANS;
  const dir = mkdtempSync(join(tmpdir(), `flowmcp-bench-${tasks}-`));
  const ws = Workspace.open(dir);
  const call = toolCaller({ ws, session: ws.session('bench-seed') });
  call('flow', { action: 'create', name: `bench ${tasks}` });
  const taskIds: string[] = [];
  const perPlan = Math.ceil(tasks / plans);
  const priorities = ['low', 'medium', 'high', 'urgent'] as const;
  for (let p = 0; p < plans && taskIds.length < tasks; p++) {
    call('plan', { action: 'create', title: `plan ${p}` });
    for (let done = 0; done < perPlan && taskIds.length < tasks; done += BATCH) {
      const n = Math.min(BATCH, perPlan - done, tasks - taskIds.length);
      const r = call('task', {
        action: 'create',
        // In each four: low, medium, high, urgent; with urgentBlocked the urgent one waits on the low one ("#k": item k of this batch).
        tasks: Array.from({ length: n }, (_, i) => ({
          title: `task ${p}.${done + i}`,
          priority: priorities[i % 4],
          ...(shape.urgentBlocked && i % 4 === 3 ? { depends_on: [`#${i - 2}`] } : {}),
        })),
      });
      taskIds.push(...r.tasks.map((t: { id: string }) => t.id));
    }
  }
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  ws.close();
  return { dir, taskIds };
}
