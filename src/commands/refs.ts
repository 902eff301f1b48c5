// Naming things in commands: an id (or legacy id), a plan's number in the current flow, or words from
// a title matched loosely (case, punctuation, Korean particles, one-letter typos). One clear best
// match resolves; several equally good ones are returned as candidates, never guessed between.
import type { Ctx } from '../core/kernel/workspace.js';
import { getFlow, getFlowByLegacyId, flowNames } from '../store/flows.js';
import { getPlan, getPlanByLegacyId, listPlans, planTitles } from '../store/plans.js';
import { getTask, getTaskByLegacyId, taskTitles } from '../store/tasks.js';
import { getSnapshot, listSnapshots } from '../store/snapshots.js';
import { LIMITS } from '../core/schemas/common.js';
import type { RefKind } from './grammar.js';

export interface Named {
  id: string;
  name: string;
}

export type RefResult = { ok: true; id: string; name: string } | { ok: false; candidates: Named[]; /** Why nothing was looked up. */ refused?: string };

/** Longest name a command may give by its words: a title's length. */
export const MAX_NAME_CHARS = LIMITS.title;
/** Query words that count toward a match (after stop words, each once): a title is named by a few. */
const MAX_QUERY_WORDS = 16;
/**
 * Titles one command may compare its names against, over all its names (a command can name many tasks,
 * and each ambiguous one rebuilds the command per candidate): 20k tasks named five times.
 */
export const NAME_BUDGET = 100_000;
export interface NameBudget {
  left: number;
}
export const nameBudget = (): NameBudget => ({ left: NAME_BUDGET });

const PARTICLE = /(?:으로|에서|에게|까지|부터|이랑|하고|처럼|을|를|이|가|은|는|에|의|로|와|과|도|만)$/u;

export function normalizeWords(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length > 2 && /\p{Script=Hangul}$/u.test(w) ? w.replace(PARTICLE, '') : w));
}

const STOP = new Set(['the', 'a', 'an', 'task', 'plan', 'flow', 'my', 'this', 'that', '태스크', '작업', '플랜', '계획', '플로우']);

/** One letter changed, added or dropped, or two neighbouring letters swapped ("paymnets"); words of 4+ letters. */
function near(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 4 || Math.abs(a.length - b.length) > 1) return false;
  // Compared in place, without building arrays: this runs for every word of every candidate title.
  if (a.length === b.length) {
    let i = 0;
    while (a[i] === b[i]) i++;
    let j = a.length - 1;
    while (a[j] === b[j]) j--;
    return i === j || (j === i + 1 && a[i] === b[j] && a[j] === b[i]);
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  for (; i < s.length; i++) if (s[i] !== l[i + 1]) return false;
  return true;
}

/** The words of a name that count: stop words dropped, each once, at most MAX_QUERY_WORDS. */
export function queryWords(query: string): string[] {
  return [...new Set(normalizeWords(query).filter((w) => !STOP.has(w)))].slice(0, MAX_QUERY_WORDS);
}

/**
 * How well query words name `title`: the share of them found in it (0..1, 1.5 for the exact title), or 0
 * as soon as more than half are missing (under 0.5 never names anything). Cheap tests first: a word not
 * in the lower-cased title at all can only be a near miss, which needs 4+ letters.
 */
export function scoreWords(q: string[], exact: string, title: string): number {
  if (q.length === 0) return 0;
  const lower = title.toLowerCase();
  let t: string[] | undefined;
  let miss = 0;
  for (const w of q) {
    const inside = lower.includes(w);
    let found = false;
    if (inside || w.length >= 4) {
      t ??= normalizeWords(title);
      found = inside ? t.some((x) => x.startsWith(w) || (w.length >= 2 && x.includes(w)) || near(w, x)) : t.some((x) => near(w, x));
    }
    if (!found && ++miss * 2 > q.length) return 0;
  }
  if (miss === 0 && exact === t!.join(' ')) return 1.5;
  return (q.length - miss) / q.length;
}

/** How well `query` names `title` (see scoreWords). */
export function matchScore(query: string, title: string): number {
  const q = queryWords(query);
  return scoreWords(q, normalizeWords(query).filter((w) => !STOP.has(w)).join(' '), title);
}

function candidatesFor(ctx: Ctx, kind: RefKind): Named[] {
  const db = ctx.ws.db;
  const flow = ctx.session.current().flowId ?? undefined;
  if (kind === 'flow') return flowNames(db);
  if (kind === 'plan') return flow ? planTitles(db, flow) : planTitles(db);
  if (kind === 'task') return flow ? taskTitles(db, flow) : taskTitles(db);
  return listSnapshots(db, 0, 200).map((s) => ({ id: s.id, name: s.label || s.reason }));
}

function byId(ctx: Ctx, kind: RefKind, id: string): Named | undefined {
  const db = ctx.ws.db;
  const l = id.toLowerCase();
  if (kind === 'flow') {
    const r = getFlow(db, l) ?? getFlowByLegacyId(db, id);
    return r && { id: r.id, name: r.name };
  }
  if (kind === 'plan') {
    const r = getPlan(db, l) ?? getPlanByLegacyId(db, id);
    return r && { id: r.id, name: r.title };
  }
  if (kind === 'task') {
    const r = getTask(db, l) ?? getTaskByLegacyId(db, id);
    return r && { id: r.id, name: r.title };
  }
  const r = getSnapshot(db, l);
  return r && { id: r.id, name: r.label || r.reason };
}

export function resolveRef(ctx: Ctx, kind: RefKind, words: string, budget: NameBudget = nameBudget()): RefResult {
  const w = words.trim();
  if (w.length > MAX_NAME_CHARS) {
    return { ok: false, candidates: [], refused: `A ${kind} named by ${w.length} characters of words; names are at most ${MAX_NAME_CHARS}.` };
  }
  const exact = byId(ctx, kind, w);
  if (exact) return { ok: true, ...exact };
  // "2", "#2", "plan 2": a plan by its number in the current flow.
  const num = /^(?:#|no\.?\s*)?(\d{1,3})(?:번)?$/i.exec(w);
  const flow = ctx.session.current().flowId;
  if (kind === 'plan' && num && flow) {
    const p = listPlans(ctx.ws.db, flow)[Number(num[1]) - 1];
    if (p) return { ok: true, id: p.id, name: p.title };
  }
  const all = candidatesFor(ctx, kind);
  if (all.length > budget.left) {
    return { ok: false, candidates: [], refused: `This command names too many ${kind}s by title words to look them all up.` };
  }
  budget.left -= all.length;
  // The name's words once, not once per candidate; each title is bounded (LIMITS.title).
  const q = queryWords(w);
  const exactName = normalizeWords(w).filter((x) => !STOP.has(x)).join(' ');
  const scored = all
    .map((c) => ({ c, s: scoreWords(q, exactName, c.name) }))
    .filter((x) => x.s >= 0.5)
    .sort((a, b) => b.s - a.s || a.c.name.length - b.c.name.length);
  if (scored.length === 0) return { ok: false, candidates: [] };
  const best = scored[0]!.s;
  const top = scored.filter((x) => x.s === best);
  if (top.length === 1) return { ok: true, ...top[0]!.c };
  return { ok: false, candidates: top.slice(0, 8).map((x) => x.c) };
}
