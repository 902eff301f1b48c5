// What the plain-language patterns (plain-english.ts, plain-korean.ts) share: the shape of a pattern,
// how a name said in a sentence is cleaned ("the login task" → login), the nouns, statuses and
// priorities as people say them, and the placeholder a quoted title stands as while patterns read.
import type { CommandDef, Noun } from './grammar.js';
import { COMMANDS } from './grammar.js';
import type { Parsed } from './build.js';
import { READ_ACTIONS } from '../model/vocab.js';

export type Pattern = {
  re: RegExp;
  make: (m: RegExpExecArray) => { noun: Noun | null; verb: string; positionals?: string[]; flags?: Record<string, string | true> } | Parsed;
};

export const def = (noun: Noun | null, verb: string): CommandDef => COMMANDS.find((d) => d.noun === noun && d.verbs.includes(verb))!;
/** A new title said after its noun ("add task X", "todo: X", "new plan X"): quotes and a leading article off, nothing else. */
export const titled = (s: string | undefined) =>
  (s ?? '')
    .trim()
    .replace(/^["'“‘]|["'”’]$/g, '')
    .replace(/^(?:the|a|an|my)\s+/i, '')
    .trim();
/**
 * A name said in a sentence, its noun after it: "the login task" → login, "로그인 작업" → 로그인. Not for a
 * title said after its noun: "add task Pick the right one" lost its "one" (titled keeps it).
 */
export const clean = (s: string | undefined) =>
  titled(s)
    .replace(/\s+(?:task|item|one)$/i, '')
    .replace(/\s*(?:태스크|작업|할\s*일)$/u, '')
    .trim();
export const NOUN_WORD: Record<string, Noun> = {
  task: 'task', tasks: 'task', plan: 'plan', plans: 'plan', flow: 'flow', flows: 'flow', snapshot: 'snapshot', snapshots: 'snapshot',
  doc: 'doc', docs: 'doc', documents: 'doc', notes: 'doc', 태스크: 'task', 작업: 'task', 할일: 'task', 플랜: 'plan', 계획: 'plan', 플로우: 'flow', 스냅샷: 'snapshot', 문서: 'doc',
};

// "…, high priority", "… with urgent priority", "… priority: low" at the end of a new task's title is
// its priority, not part of its title ("normal" is medium).
const PRIORITY_TAIL = /(?:\s*,)?\s+(?:(?:with|at|as)\s+)?(?:an?\s+)?(low|medium|normal|high|urgent)(?:-|\s+)(?:priority|prio)$|(?:\s*,)?\s+(?:with\s+)?(?:priority|prio)\s*[:=]?\s*(low|medium|normal|high|urgent)$/i;
export function priorityTail(text: string): { title: string; priority?: string } {
  const m = PRIORITY_TAIL.exec(text);
  return m && m.index > 0 ? { title: text.slice(0, m.index), priority: m[1] ?? m[2] } : { title: text };
}
/** What to search for, without the aside after it ("retry policy, i know we wrote something", "멱등성 키 얘기 어디 있었지?"). */
export const searchWords = (s: string) =>
  clean(s.replace(/\s*[,;?？!].*$/u, '').replace(/\s*(?:얘기|이야기|내용)?\s*(?:어디\s*있었지|어디\s*있어)$/u, '')) || clean(s);
/** A new title said with an aside after it ("to Sign-in page since design renamed everything", "Identity pls, …"). */
export const newTitle = (s: string) => s.replace(/[,;]\s+.*$/, '').replace(/\s+(?:since|because|cuz|coz)\s+.*$/i, '').replace(/\s+(?:pls|plz|please)$/i, '').trim();
/** A plan's place said in words: "top", "second", "position 3" → "1", "2", "3". */
export const positionWord = (w: string) => {
  const n = /\d+/.exec(w)?.[0];
  return n ?? String(['top', 'first', 'second', 'third', 'fourth', 'fifth'].indexOf(w.toLowerCase()) || 1);
};
/** Every word a priority is said with, English and Korean, and the level it means. */
const PRIORITY_SAID: Readonly<Record<string, string>> = {
  low: 'low', medium: 'medium', normal: 'medium', high: 'high', urgent: 'urgent', critical: 'urgent', asap: 'urgent',
  낮음: 'low', 낮게: 'low', 낮은: 'low', 보통: 'medium', 중간: 'medium', 높음: 'high', 높게: 'high', 높은: 'high', 긴급: 'urgent', 급함: 'urgent', 급한: 'urgent',
};
/** The level a priority word means ("normal" is medium, "긴급" urgent); which words are read is each pattern's. */
export const priorityWord = (w: string) => PRIORITY_SAID[w.toLowerCase()] ?? w.toLowerCase();

/** A task status as people name it in a list request ("blocked tasks", "막힌 작업"). */
const LISTED_STATUS: Record<string, string> = {
  blocked: 'blocked', stuck: 'blocked', done: 'done', finished: 'done', completed: 'done', open: 'todo', todo: 'todo', pending: 'todo',
  'in progress': 'in_progress', 'in-progress': 'in_progress', started: 'in_progress', cancelled: 'cancelled', canceled: 'cancelled',
  skipped: 'cancelled', review: 'review', 'in review': 'review',
  막힌: 'blocked', 막혀있는: 'blocked', 블록된: 'blocked', 차단된: 'blocked', 진행중인: 'in_progress', 하고있는: 'in_progress',
  완료된: 'done', 끝난: 'done', 남은: 'todo', 열린: 'todo', 취소된: 'cancelled', 리뷰중인: 'review', 검토중인: 'review',
};
export const listedStatus = (w: string) => LISTED_STATUS[w.toLowerCase().replace(/\s+/g, w.includes('-') ? '' : /[a-z]/i.test(w) ? ' ' : '')];
/** "새 결제 작업 추가" adds a task titled 결제: "new" before a title is not part of it. */
export const withoutNew = (title: string) => title.replace(/^새(?:로운)?(?:\s+|$)/u, '');

/**
 * A question ("is the login page done?", "who is working on X?", "should I start X?", "what happens if I
 * delete X", "로그인 끝났어?", "누가 시작했어?", "지워야 할까?", "끝남?" (not "…해 줄 수 있나요?", a polite request); a Korean ending after a colon is the text being saved,
 * "질문 추가: PayPal도 지원해야 할까?"): it asks to see something, so it is never read as a
 * change, whatever status or verb word it holds.
 */
export const QUESTION =
  /^(?:is|are|was|were|has|have|had|did|does|do|who|whom|whose|why|when|how|where|what|which|(?:should|can|could|may|shall|must)\s+(?:i|we)|누가|누구|왜|언제|어떻게|뭐가|무엇이)(?![\p{L}\p{N}])|\s(?:언제|누가|누구|어떻게|몇\s*(?:개|번|시))(?![\p{L}\p{N}])|\bwhether\b|\bwhat\s+happens\s+if\b|^[^:：]*(?:했|났|됐|었|았)(?:어|니|나|지|냐|는지)\s*[?？]+$|^(?![^:：]*(?:줄|주실|주시겠)\s*수\s*있)[^:：]*(?:까|까요|나요|인가요?|끝남|완료됨|다\s*함)\s*[?？]+$/iu;
/** Whether a tool call only looks (a search, a list, one thing's details): the readings a question may have. */
export const onlyLooks = (c: { tool: string; args: Record<string, unknown> }) => c.tool === 'search' || READ_ACTIONS.has(c.args.action);

// A quoted span stands in the text the patterns read as one placeholder: private-use marks around its
// number, which no pattern word, particle or article can match or strip. Taken back verbatim after.
export const PH_OPEN = '\uE000';
export const PH_CLOSE = '\uE001';
export const PH = `${PH_OPEN}\\d+${PH_CLOSE}`;
