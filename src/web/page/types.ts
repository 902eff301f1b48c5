// The shapes the page reads from its API (the tools' own result rows).
import { serverNow } from './clock.js';

export const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_LABEL: Record<Status, string> = { todo: 'To do', in_progress: 'In progress', blocked: 'Blocked', review: 'Review', done: 'Done', cancelled: 'Cancelled' };
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export interface TaskRow {
  id: string;
  plan_id: string;
  title: string;
  status: Status;
  priority: string;
  revision: number;
  waiting_on_count?: number;
  claimed_by?: string;
  /** When the claim's lease ends (with claimed_by). */
  claim_expires_at?: string;
  /** In progress, but its claim's lease ran out: nobody holds it (free to take). */
  claim_ran_out?: true;
}

export interface Task extends Omit<TaskRow, 'waiting_on_count' | 'claimed_by' | 'claim_expires_at' | 'claim_ran_out'> {
  flow_id: string;
  description?: string;
  depends_on?: string[];
  waiting_on?: string[];
  dependents?: string[];
  claim?: { agent: string; expires_at: string; active: boolean };
  updated_at: string;
}

export interface Plan {
  id: string;
  title: string;
  position: number;
}

export interface Board {
  flows: { id: string; name: string }[];
  flow_id: string | null;
  plans: Plan[];
  tasks: TaskRow[];
  truncated: boolean;
  seq: number;
}

export interface Ref {
  id: string;
  title: string;
  status: string;
}

export interface TaskDetail {
  task: Task;
  depends_on: Ref[];
  dependents: Ref[];
  history: { seq: number; at: string; agent: string; action: string; summary: string }[];
  /** Older events than `history` shows exist. */
  history_more?: boolean;
  documents: { id: string; path: string; title: string }[];
}

/** A full task as the compact row the board keeps. */
export function rowOf(t: Task): TaskRow {
  const row: TaskRow = { id: t.id, plan_id: t.plan_id, title: t.title, status: t.status, priority: t.priority, revision: t.revision };
  if (t.waiting_on?.length) row.waiting_on_count = t.waiting_on.length;
  if (t.claim?.active) {
    row.claimed_by = t.claim.agent;
    row.claim_expires_at = t.claim.expires_at;
  } else if (t.claim && t.status === 'in_progress') row.claim_ran_out = true;
  return row;
}

/**
 * "45 s left", "12 min left", "1 h 5 min left", or "lease expired", against the server's clock now (the page draws
 * claims again every few seconds: the time counts down). Rounded down: "2 min left" may be 2 min 59 s,
 * never less than 2 minutes.
 */
export function leaseLeft(expires: string, now = serverNow()): string {
  const s = Math.floor((Date.parse(expires) - now) / 1000);
  if (!(s > 0)) return 'lease expired';
  if (s < 60) return `${s} s left`;
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left` : `${Math.floor(s / 60)} min left`;
}

/** Whether a claim still holds now (its lease not run out: after that the task is free again). */
export function claimLive(expires: string | undefined, now = serverNow()): boolean {
  return expires !== undefined && Date.parse(expires) > now;
}

/** Board rows read again after the event stream named their tasks (GET /api/rows). */
export interface ChangedRows {
  rows: (TaskRow & { flow_id: string })[];
  gone: string[];
  /** Ids that name no task (not task ids). */
  unknown?: string[];
  reload: boolean;
}

/** Which of a task's fields differ between what the page showed and what is stored now, in words. */
export function changedFields(before: Partial<Task> & TaskRow, now: Task): string[] {
  const out: string[] = [];
  if (before.title !== now.title) out.push(`title (now "${now.title}")`);
  if (before.description !== undefined && (before.description ?? '') !== (now.description ?? '')) out.push('description');
  if (before.status !== now.status) out.push(`status (now ${STATUS_LABEL[now.status] ?? now.status})`);
  if (before.priority !== now.priority) out.push(`priority (now ${now.priority})`);
  if (before.plan_id !== now.plan_id) out.push('plan');
  return out;
}
