// Naming things in commands: an id (or legacy id), a plan's number in the current flow, or words from
// a title matched loosely (case, punctuation, Korean particles, one-letter typos). One clear best
// match resolves; several equally good ones are returned as candidates, never guessed between.
import type { Ctx } from '../core/workspace.js';
import { getFlow, getFlowByLegacyId, flowNames } from '../store/flows.js';
import { getPlan, getPlanByLegacyId, listPlans, planTitles } from '../store/plans.js';
import { getTask, getTaskByLegacyId, taskTitles } from '../store/tasks.js';
import { getSnapshot, listSnapshots } from '../store/snapshots.js';
import type { RefKind } from './grammar.js';

export interface Named {
  id: string;
  name: string;
}

export type RefResult = { ok: true; id: string; name: string } | { ok: false; candidates: Named[] };

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

function near(a: string, b: string): boolean {
  if (a === b) return true;
  // Two neighbouring letters swapped ("paymnets").
  if (a.length >= 4 && a.length === b.length) {
    const d = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
    if (d.length === 2 && d[1] === d[0]! + 1 && a[d[0]!] === b[d[1]!] && a[d[1]!] === b[d[0]!]) return true;
  }
  if (a.length < 4 || Math.abs(a.length - b.length) > 1) return false;
  // One edit apart.
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** How well `query` names `title`: the share of query words found in it (0..1, 1.5 for the exact title). */
export function matchScore(query: string, title: string): number {
  const q = normalizeWords(query).filter((w) => !STOP.has(w));
  const t = normalizeWords(title);
  if (q.length === 0) return 0;
  if (q.join(' ') === t.join(' ')) return 1.5;
  let hit = 0;
  for (const w of q) if (t.some((x) => x === w || x.startsWith(w) || (w.length >= 2 && x.includes(w)) || near(w, x))) hit++;
  return hit / q.length;
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

export function resolveRef(ctx: Ctx, kind: RefKind, words: string): RefResult {
  const w = words.trim();
  const exact = byId(ctx, kind, w);
  if (exact) return { ok: true, ...exact };
  // "2", "#2", "plan 2": a plan by its number in the current flow.
  const num = /^(?:#|no\.?\s*)?(\d{1,3})(?:번)?$/i.exec(w);
  const flow = ctx.session.current().flowId;
  if (kind === 'plan' && num && flow) {
    const p = listPlans(ctx.ws.db, flow)[Number(num[1]) - 1];
    if (p) return { ok: true, id: p.id, name: p.title };
  }
  const scored = candidatesFor(ctx, kind)
    .map((c) => ({ c, s: matchScore(w, c.name) }))
    .filter((x) => x.s >= 0.5)
    .sort((a, b) => b.s - a.s || a.c.name.length - b.c.name.length);
  if (scored.length === 0) return { ok: false, candidates: [] };
  const best = scored[0]!.s;
  const top = scored.filter((x) => x.s === best);
  if (top.length === 1) return { ok: true, ...top[0]!.c };
  return { ok: false, candidates: top.slice(0, 8).map((x) => x.c) };
}
