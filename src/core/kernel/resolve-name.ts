// Naming things in commands: an id (or legacy id), a plan's number in the current flow, or words from a
// title matched loosely (name-words.ts). One clear best match resolves; several equally good ones are
// returned as candidates, never guessed between. Words that fit nothing in the session's current flow are
// matched in the other flows, and the fits found there are returned with their flow for the caller to
// name (the caller decides whether to act on one). Hostile input stays cheap: a name is at most a title
// long, and one command compares at most NAME_BUDGET titles over all the names it gives.
import { clip } from '../../model/error-text.js';
import { LIMITS } from '../schemas/common.js';
import { ID_PREFIX } from './ids.js';
import { titlesSaidIn } from './titles-in-text.js';
import { CANDIDATES_SHOWN, lookupName, namesToMatch, newestSnapshot, PLAN_NUMBER, planNumbered, type Named, type NameKind } from './names.js';
import { namesOutsideFlow } from '../../store/names.js';
import { exactWords, queryWords, scoreWords, wordsMissing } from './name-words.js';
import type { Call } from './workspace.js';
import { HANGUL, hasHangul } from '../../search/korean.js';
import { koreanLexicon } from '../../search/lexicon.js';

export type NameResult =
  | {
      ok: true;
      id: string;
      name: string;
      /**
       * Words of the name its title does not hold: it was the one best fit, but only in part ("the partial
       * refunds task" for "Refund API"). A caller that changes something should not act on it unasked.
       */
      partial?: string[];
    }
  | {
      ok: false;
      /** The equally good candidates, at most CANDIDATES_SHOWN of them. */
      candidates: Named[];
      /** How many fit equally well (candidates lists the first few). */
      total?: number;
      /** Why nothing was looked up, and what to do instead. */
      refused?: string;
      hint?: string;
      /**
       * Refused because the words hold the whole titles of several, these, in the order said: a place that
       * takes a list takes each of them, and a sentence's reading by names may still fit.
       */
      several?: Named[];
      /**
       * Nothing in the session's current flow fits, but these do in other flows (the best ones, equally
       * good): whether to act on one there is the caller's choice (a delete should not, by title words).
       */
      elsewhere?: Elsewhere[];
    };

/** A plan or task outside the current flow that the words fit, and its flow. */
export interface Elsewhere extends Named {
  flowId: string;
  flowName: string;
  /** The words are its whole title (letter case, punctuation and words like "the" aside). */
  exact: boolean;
}

export { CANDIDATES_SHOWN };
/** scoreWords' score for words that are a title's whole words. */
const EXACT = 1.5;
/** The shape of the ids flowmcp makes (a kind's prefix, a dash, a few letters and digits). */
const ID_SHAPE = /^[a-z]{1,3}-[0-9a-z]{1,40}$/;
/** Words that name the newest snapshot: "last", "the latest one", "most recent", "마지막", "최근". */
const NEWEST_SNAPSHOT = /^(?:the\s+)?(?:last|latest|newest|most\s+recent)(?:\s+(?:one|snapshot))?$|^(?:마지막|최근|최신|가장\s*최근)(?:\s*스냅샷)?$/iu;
const KOREAN_RUNS = new RegExp(`[${HANGUL}]+`, 'g');
/** Words for a piece of work, said around a title without naming anything of it. */
const WORK_NOUNS = new Set(['work', 'stuff', 'thing', 'things', 'feature', 'ticket', 'item', 'bit', 'one', 'part', 'issue', 'job', '건', '일', '것', '부분', '기능']);
/** What a fit through a translation counts less than the same fit of the words as said (betterOfEach). */
const TRANSLATED = 1e-6;

/** Longest name a command may give by its words: a title's length. */
export const MAX_NAME_CHARS = LIMITS.title;
/**
 * Titles one command may compare its names against, over all its names (a command can name many tasks,
 * and each ambiguous one rebuilds the command per candidate): 20k tasks named five times.
 */
export const NAME_BUDGET = 100_000;
export interface NameBudget {
  left: number;
}
export const nameBudget = (): NameBudget => ({ left: NAME_BUDGET });

/** Words that point back to something said before ("it", "that one", "그거"). */
const POINTS_BACK = /^(?:it|this|that|these|those|them|this\s+one|that\s+one|the\s+same(?:\s+one)?|그거|이거|저거|그것|이것|저것|그\s*(?:작업|태스크|할\s*일|플랜|플로우)|이\s*(?:작업|태스크|할\s*일|플랜|플로우))$/iu;

/** What `words` name: one thing, or the equally good candidates, or a refusal (too long, over budget). */
export function resolveName(call: Call, kind: NameKind, words: string, budget: NameBudget = nameBudget()): NameResult {
  const w = words.trim();
  // Several ids at once ("t-a t-b t-c"): a command names one thing in this place.
  // Stryker disable next-line Regex: a split at each single separator leaves empty parts, which filter(Boolean) drops
  const parts = w.split(/[\s,]+/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => ID_SHAPE.test(p))) {
    return {
      ok: false,
      candidates: [],
      refused: `This names ${parts.length} ${kind}s by id (${parts.slice(0, 3).join(', ')}${parts.length > 3 ? ', …' : ''}); a command acts on one ${kind} at a time.`,
      hint: `Give one id per command (e.g. ${parts[0]}), one command after another.`,
    };
  }
  if (w.length > MAX_NAME_CHARS) {
    return { ok: false, candidates: [], refused: `A ${kind} named by ${w.length} characters of words; names are at most ${MAX_NAME_CHARS}.` };
  }
  const exact = lookupName(call, kind, w);
  if (exact) return { ok: true, ...exact };
  // "start it", "mark that done", "그거 완료": a word that points back names nothing here (this call has no
  // "before"); matched as title words, "it" had picked a task whose title holds "it" ("Write …").
  if (POINTS_BACK.test(w)) {
    return { ok: false, candidates: [], refused: `"${w}" does not say which ${kind}: this request has nothing before it to point back to.`, hint: `Name the ${kind} by words of its title or by its id.` };
  }
  // "2", "#2", "plan 2": a plan by its number in the current flow.
  const num = PLAN_NUMBER.exec(w);
  const flow = call.session.current().flowId;
  if (kind === 'plan' && num && flow) {
    const p = planNumbered(call, flow, Number(num[1]));
    if (p) return { ok: true, ...p };
  }
  // An id of this kind that names nothing is a mistyped id, not title words: "s-9sr" must not pick the
  // snapshot whose reason reads "before restore of s-9srd". The miss says which ids come closest.
  if (new RegExp(`^${ID_PREFIX[kind]}-[0-9a-z]{2,40}$`, 'i').test(w)) return { ok: false, candidates: [] };
  // One row past what the budget allows is enough to know it would be exceeded: never more are read.
  const all = namesToMatch(call, kind, budget.left + 1, flow ?? undefined);
  if (all.length > budget.left) {
    return { ok: false, candidates: [], refused: `This command names too many ${kind}s by title words to look them all up.` };
  }
  budget.left -= all.length;
  // A title given whole, letter case aside, wins before any loose matching: a title made only of words
  // the loose match skips ("A", "The plan") could not be named otherwise.
  const given = w.toLowerCase();
  const whole = all.filter((c) => c.name.trim().toLowerCase() === given);
  if (whole.length === 1) return { ok: true, id: whole[0]!.id, name: whole[0]!.name };
  // "the refund flow and the stripe webhook" holds two whole titles: matched loosely it named one of them,
  // and a done or a prerequisite said of both was done to one and dropped for the other in silence.
  const inside = [...new Set(titlesSaidIn(given, all, (c) => c.name.trim().toLowerCase()).map((m) => m.item))];
  if (inside.length > 1) {
    return {
      ok: false,
      candidates: [],
      refused: `"${clip(w, 80)}" names ${inside.length} ${kind}s (${inside.slice(0, 3).map((c) => `"${c.name}"`).join(', ')}${inside.length > 3 ? ', …' : ''}); here a command names one.`,
      hint: `Name one ${kind} at a time, one command after another.`,
      several: inside,
    };
  }
  // "the last snapshot", "마지막 스냅샷": the newest one, unless a snapshot is labelled so (just above).
  if (kind === 'snapshot' && whole.length === 0 && NEWEST_SNAPSHOT.test(w)) {
    const newest = newestSnapshot(call);
    if (newest) return { ok: true, ...newest };
  }
  // The name's words once, not once per candidate; each title is bounded (LIMITS.title).
  const byWords = <C extends Named>(name: string, among: C[]) => {
    const q = queryWords(name);
    const exactName = exactWords(name);
    return among
      .map((c) => ({ c, s: scoreWords(q, exactName, c.name) }))
      .filter((x) => x.s >= 0.5)
      .sort((a, b) => b.s - a.s || a.c.name.length - b.c.name.length);
  };
  // A Korean name for an English title ("릴리스 플랜" for "Release 1.0"): its words' likeliest English
  // translations, matched the same way, each title keeping the better of its two fits. Not only when
  // the Korean words matched nothing: "로그인 페이지" half-fits "로그인 작업" and wholly fits "Login page",
  // and taking the half fit marked the wrong task done.
  const match = <C extends Named>(name: string, among: C[] = all as C[]) => {
    const english = englishOf(name);
    return english === name ? byWords(name, among) : betterOfEach(byWords(name, among), byWords(english, among));
  };
  const scored = match(w);
  if (scored.length === 0) return flow && (kind === 'plan' || kind === 'task') ? inOtherFlows(call, kind, flow, w, budget, match) : { ok: false, candidates: [] };
  const best = scored[0]!.s;
  const top = scored.filter((x) => x.s === best);
  if (top.length === 1) {
    const { id, name } = top[0]!.c;
    // Under 1, less a translation's hair (betterOfEach), some words fit nothing in the title. That alone
    // is how people talk ("i finished teh login page", "claim the rate limiter for me"): words around a
    // title. A fit in part is one where the title also has words the name left out: "the partial refunds
    // task" for "Refund API" names something else that is merely near it.
    if (best >= 1 - 2 * TRANSLATED) return { ok: true, id, name };
    const english = englishOf(w);
    const titleWords = queryWords(name);
    const unnamed = Math.min(wordsMissing(titleWords, w).length, wordsMissing(titleWords, english).length);
    if (unnamed === 0) return { ok: true, id, name };
    // Words that say "a piece of work" (the refund stuff, the login ticket) qualify nothing.
    const said = wordsMissing(queryWords(w), name).filter((x) => !WORK_NOUNS.has(x));
    const translated = wordsMissing(queryWords(english), name).filter((x) => !WORK_NOUNS.has(x));
    if (!said.length || !translated.length) return { ok: true, id, name };
    return { ok: true, id, name, partial: said.length <= translated.length ? said : translated };
  }
  return { ok: false, candidates: top.slice(0, CANDIDATES_SHOWN).map((x) => x.c), total: top.length };
}

/** A name with its Korean words put in English by the lexicon's likeliest translation (the same name when it has none). */
function englishOf(name: string): string {
  return hasHangul(name) ? name.replace(KOREAN_RUNS, (word) => koreanLexicon().lookup(word)[0]?.word ?? word) : name;
}

/**
 * The fits of the words as said and of their translation merged: each title once, with its better score,
 * best first (shorter title on a tie). A translated fit counts a hair less than the same fit as said, so
 * it wins only when it is really better: a translation is a guess ("작성" → write fit "Write migration
 * tests" as well as "배포스크립트 작성" half-fit "배포 스크립트 작성", which is what was meant).
 */
function betterOfEach<C extends Named>(said: { c: C; s: number }[], translated: { c: C; s: number }[]): { c: C; s: number }[] {
  const by = new Map<string, { c: C; s: number }>();
  for (const x of [...said, ...translated.map((t) => ({ c: t.c, s: t.s - TRANSLATED }))]) if ((by.get(x.c.id)?.s ?? -1) < x.s) by.set(x.c.id, x);
  return [...by.values()].sort((x, y) => y.s - x.s || x.c.name.length - y.c.name.length);
}

/**
 * Words that fit nothing in the current flow, matched the same way against the other flows' plans or
 * tasks (within the same budget): the best fits, each with its flow, for the caller to say where they are.
 */
function inOtherFlows(
  call: Call,
  kind: 'plan' | 'task',
  flow: string,
  words: string,
  budget: NameBudget,
  match: <C extends Named>(name: string, among: C[]) => { c: C; s: number }[],
): NameResult {
  const others = namesOutsideFlow(call.ws.db, kind, flow, budget.left + 1);
  if (others.length > budget.left) return { ok: false, candidates: [] };
  budget.left -= others.length;
  const scored = match(words, others);
  if (scored.length === 0) return { ok: false, candidates: [] };
  const best = scored[0]!.s;
  const elsewhere = scored
    .filter((x) => x.s === best)
    .slice(0, CANDIDATES_SHOWN)
    .map(({ c }) => ({ id: c.id, name: c.name, flowId: c.flow_id, flowName: c.flow_name, exact: best === EXACT }));
  return { ok: false, candidates: [], elsewhere };
}
