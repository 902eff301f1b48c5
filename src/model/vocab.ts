// The fixed words of the domain: statuses, priorities, and the legacy spellings that still mean them.

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PLAN_STATUSES = ['active', 'done', 'cancelled', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const FLOW_STATUSES = ['active', 'archived'] as const;
export type FlowStatus = (typeof FLOW_STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Spellings the earlier Flow system (and people) use for task statuses. */
export const TASK_STATUS_ALIASES: Readonly<Record<string, TaskStatus>> = {
  pending: 'todo',
  planning: 'todo',
  open: 'todo',
  'in-progress': 'in_progress',
  inprogress: 'in_progress',
  started: 'in_progress',
  doing: 'in_progress',
  reviewing: 'review',
  completed: 'done',
  complete: 'done',
  finished: 'done',
  skip: 'cancelled',
  skipped: 'cancelled',
  canceled: 'cancelled',
};

/**
 * The verbs that set each task status, as people say them: the /flow grammar's `task <verb>` rows and a
 * task action said as a verb ("task done t-1" through the tool) both read them here. The first is the one
 * a message suggests.
 */
export const TASK_STATUS_VERBS: Readonly<Record<TaskStatus, readonly string[]>> = {
  done: ['done', 'finish', 'complete', 'close'],
  in_progress: ['start', 'begin'],
  cancelled: ['cancel', 'skip'],
  blocked: ['block'],
  review: ['review'],
  todo: ['reopen', 'todo'],
};

/** The same words for plans, where they mean a plan's status (a task's "finished" is a plan's too). */
export const PLAN_STATUS_ALIASES: Readonly<Record<string, PlanStatus>> = {
  completed: 'done',
  complete: 'done',
  finished: 'done',
  canceled: 'cancelled',
  skipped: 'cancelled',
};


/** Maps a status word (any case, legacy spelling) to the canonical one, or undefined if unknown. */
export function normalizeWord<T extends string>(
  value: string,
  canonical: readonly T[],
  aliases: Readonly<Record<string, T>>,
): T | undefined {
  const key = value.trim().toLowerCase().replace(/\s+/g, '_');
  if ((canonical as readonly string[]).includes(key)) return key as T;
  // Own keys only: "constructor" or "__proto__" is in every object, and no word.
  const alias = (k: string) => (Object.hasOwn(aliases, k) ? aliases[k] : undefined);
  return alias(key) ?? alias(key.replace(/_/g, '-'));
}

/**
 * Tool actions that only read (a list, one thing, a diff, a briefing, a search's query): a question in plain
 * language may be read as one, and a CLI command of one where there is no project creates nothing.
 */
export const READ_ACTIONS: ReadonlySet<unknown> = new Set(['list', 'get', 'next', 'show', 'diff', 'history', 'resume', 'read', 'query']);
