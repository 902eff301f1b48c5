// Plain language read by what it names, for requests no fixed pattern fits: the tasks, plans, flows
// and snapshots the text mentions by their titles are found first (so "reopen the login page task,
// the bug came back" finds "Login page" whatever surrounds it), then what is asked of them is read
// from the words left over ("reopen"). A reading is taken only when exactly one kind of request fits
// the words and the things named; anything else stays unread, as before, and is said so.
// Measured on requests written blind (npm run eval:commands): it reads sentences with reasons and
// asides around the names ("…, I won't get to it", "…, waiting on their support team").
import type { Call } from '../core/kernel/workspace.js';
import { namesStamp, namesToMatch, type Named } from '../core/kernel/names.js';
import type { Noun } from './grammar.js';
import { priorityWord } from './plain-words.js';
import { titlesSaidIn } from '../core/kernel/titles-in-text.js';

type Kind = 'task' | 'plan' | 'flow' | 'snapshot';
interface Mention {
  kind: Kind;
  id: string;
  at: number;
  end: number;
}
export interface Intent {
  noun: Noun | null;
  verb: string;
  positionals?: string[];
  flags?: Record<string, string | true>;
}

/** Titles a sentence is compared with, per kind: beyond this many, names are left to the fixed patterns. */
const MENTION_LIMIT = 5_000;
/** A text as titles are compared with it: lower-cased, spaces single. */
export const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The titles a request's sentence is compared with, read and normalised (lower-cased, spaces single, two
 * characters or more) once however many parts of it are read, and the mentions already found in each
 * text: a part is looked at by both namesOnly and readByNames.
 */
export interface Titles {
  of(kind: Kind): readonly Named[];
  /** Every kind's titles in one list, each with its kind (made once). */
  every(): readonly (Named & { kind: Kind })[];
  readonly found: Map<string, Mention[]>;
}

/**
 * Titles read for earlier requests, kept while the database has not changed (changeStamp): reading and
 * folding up to 5,000 names of a kind was ~4 ms of every plain-language request at 100k flows.
 */
const keptTitles = new WeakMap<Call['ws']['db'], { stamp: string; names: Map<string, readonly Named[]> }>();

export function titlesOf(call: Call): Titles {
  const flow = call.session.current().flowId ?? undefined;
  const read = new Map<Kind, readonly Named[]>();
  let every: (Named & { kind: Kind })[] | undefined;
  const db = call.ws.db;
  const stamp = namesStamp(call);
  let kept = keptTitles.get(db);
  if (stamp !== undefined && kept?.stamp !== stamp) keptTitles.set(db, (kept = { stamp, names: new Map() }));
  return {
    of(kind) {
      let names = read.get(kind);
      if (!names) {
        const scope = kind === 'flow' ? undefined : flow;
        const key = `${kind} ${scope ?? ''}`;
        names = stamp === undefined ? undefined : kept!.names.get(key);
        if (!names) {
          names = namesToMatch(call, kind, MENTION_LIMIT, scope)
            .map((n) => ({ id: n.id, name: norm(n.name) }))
            .filter((n) => n.name.length >= 2);
          if (stamp !== undefined) {
            // A few flows' lists at most (sessions in different flows): the kept ones go once they are many.
            if (kept!.names.size >= 16) kept!.names.clear();
            kept!.names.set(key, names);
          }
        }
        read.set(kind, names);
      }
      return names;
    },
    every() {
      return (every ??= (['task', 'plan', 'flow', 'snapshot'] as const).flatMap((kind) => this.of(kind).map((n) => ({ kind, ...n }))));
    },
    found: new Map(),
  };
}

/**
 * The things `text` names by their whole titles, longest first where titles overlap, in the order they
 * are said. A title counts where it stands as words of its own; a Korean title may carry a particle.
 */
function mentions(call: Call, text: string, titles: Titles = titlesOf(call)): Mention[] {
  const known = titles.found.get(text);
  if (known) return known;
  const kept: Mention[] = titlesSaidIn(norm(text), titles.every(), (n) => n.name, { particles: true }).map(({ item, at, end }) => ({ kind: item.kind, id: item.id, at, end }));
  titles.found.set(text, kept);
  return kept;
}

/**
 * The text with each mention replaced by a mark, so a title's own words ("Refund flow") ask nothing; the
 * clauses in `drop` (a thing said aside, with the words about it: "keep § open", "once § is done") are
 * taken out, so neither the thing nor its words ask anything.
 */
function rest(text: string, ms: Mention[], drop: readonly Aside[] = []): string {
  return withoutWordsNotAsked(marked(text, ms, drop));
}

/** The normalised text with each mention marked `§` and each clause in `drop` taken out (see rest). */
function marked(text: string, ms: readonly Mention[], drop: readonly Aside[] = []): string {
  let lower = norm(text);
  const cuts = [...ms.map((m) => ({ at: m.at, end: m.end, mark: '§' })), ...drop.map((d) => ({ at: d.from, end: d.to, mark: '' }))].sort((a, b) => b.at - a.at || b.end - a.end);
  let floor = Infinity; // a mention inside a dropped clause goes with it
  for (const c of cuts) {
    if (c.end > floor) continue;
    lower = `${lower.slice(0, c.at)} ${c.mark} ${lower.slice(c.end)}`;
    floor = c.at;
  }
  return lower;
}

/** The tasks a request names by whole title, in the order said, none twice, leaving out those it sets aside. */
export function namedTasks(call: Call, text: string, titles?: Titles): string[] {
  const ms = mentions(call, text, titles);
  const aside = new Set(asides(text, ms).map((a) => a.mention));
  return [...new Set(ms.filter((m) => m.kind === 'task' && !aside.has(m)).map((m) => m.id))];
}

/** The request's words with every whole title said in it marked `§`: what it says beside the names. */
export function wordsBesideNames(call: Call, text: string, titles?: Titles): string {
  return marked(text, mentions(call, text, titles));
}

// A thing named only to be left alone is never what a change acts on ("cancel the refund work, keep the
// stripe webhook" cancelled Stripe webhook, the one whole title in the sentence; "cancel everything except
// X" cancelled X). Said before the title ("keep", "except", "not", "don't touch") or after it ("… alone",
// "X는 빼고", "X 말고").
const LEFT_BEFORE =
  /\b(?:keep|leave|spare|except(?:\s+for)?|excluding|exclude|but\s+not|and\s+not|not|other\s+than|apart\s+from|aside\s+from|besides|without|instead\s+of|rather\s+than|(?:everything|anything|all(?:\s+(?:tasks|the\s+tasks|of\s+them|the\s+rest))?)\s+(?:but|save)|(?:don'?t|do\s+not|never)\s+(?:touch|change|cancel|delete|remove|close|mark|start|block|move|drop|skip|finish|complete|claim|reopen|archive))\s+(?:the\s+|my\s+|our\s+|that\s+|this\s+)?$/u;
const LEFT_AFTER = /^\s*(?:task\s+)?(?:alone|as\s+(?:it\s+)?is|untouched|stays?|remains?|(?:should|can|must)\s+stay)\b|^\s*(?:은|는|을|를|이|가)?\s*(?:빼고|빼구|빼놓고|뺀|제외하고|제외|말고|놔두고|놔둬|냅두고|냅둬|두고|남기고|그대로|건드리지|건들지|손대지|유지|외에|이외)\S*/u;
// A thing named as what another waits for, or when ("start the refund work after the login page" started
// Login page; "… once the webhook is done" marked it done): a change of one thing never acts on it, nor
// reads the words about it; a dependency between two is read from them.
const RELATED_BEFORE = /\b(?:after|before|until|till|once|when|whenever|as\s+soon\s+as|following|than|blocked\s+by|waiting\s+(?:for|on)|waits?\s+(?:for|on)|depends?\s+on|because\s+of|due\s+to)\s+(?:the\s+|my\s+|our\s+)?$/u;
const RELATED_AFTER = /^\s*(?:이|가|은|는)?\s*(?:끝나고|끝나면|끝나야|끝난\s*(?:다음|후|뒤)에?|(?:완료|완료가|완료되|완료돼)\S*(?:면|야|고)|다음에|후에|뒤에|이후에|전에|때문에)/u;
const KEEP_WORD = /\b(?:keep|leave)\s+(?:the\s+|my\s+|our\s+|that\s+|this\s+)?$/u;
const KEPT_IN_STATE = /^\s*(?:task\s+)?(?:on\s+hold|blocked|paused|in\s+review|in\s+progress|open|going|as\s+(?:urgent|blocked|todo|open)|at\s+\w+\s+priority|urgent|(?:high|low|medium)(?:\s+priority)?|todo)\b/u;
/** Where a clause said after a title ends: a break in the sentence, or a word that starts another. */
const CLAUSE_END = /[,;.!?]|\s(?:and|but|then|so)\s/u;

/** What stands between the names of a list: a comma, "and", "or" (and an article). */
const LIST_GAP = /^\s*(?:,\s*(?:(?:and|or|nor|&)\s+)?|(?:and|or|nor|&)\s+)(?:the\s+)?$/u;
const KO_LIST_GAP = /^\s*(?:이랑|랑|하고|와|과|,)?\s*$/u;

interface Aside {
  mention: Mention;
  kind: 'left' | 'related';
  /** The clause that says it, in the normalised text: the words before, the title, what is said of it. */
  from: number;
  to: number;
}

/** The mentions said as things to leave alone, and as what something else waits for or follows, each with its clause. */
function asides(text: string, ms: Mention[]): Aside[] {
  const lower = norm(text);
  const out: Aside[] = [];
  for (const m of ms) {
    const before = lower.slice(Math.max(0, m.at - 60), m.at);
    const after = lower.slice(m.end);
    const tail = (re: RegExp) => re.exec(after)?.[0].length;
    const toClauseEnd = () => {
      const e = CLAUSE_END.exec(after);
      return m.end + (e ? e.index : after.length);
    };
    // A list said aside goes together: "keep A and B", "except A, B or C", "after A and B".
    const prev = out.at(-1);
    if (prev && prev.to <= m.at && LIST_GAP.test(lower.slice(prev.to, m.at))) {
      out.push({ mention: m, kind: prev.kind, from: prev.to, to: toClauseEnd() });
      continue;
    }
    // "keep X on hold", "leave X in review": a state asked of X, not X left alone.
    const left = KEEP_WORD.test(before) && KEPT_IN_STATE.test(after) ? null : LEFT_BEFORE.exec(before);
    const related = left ? null : RELATED_BEFORE.exec(before);
    const said = left ?? related;
    if (said) out.push({ mention: m, kind: left ? 'left' : 'related', from: m.at - said[0].length, to: toClauseEnd() });
    else if (tail(LEFT_AFTER)) out.push({ mention: m, kind: 'left', from: m.at, to: m.end + tail(LEFT_AFTER)! });
    else if (tail(RELATED_AFTER)) out.push({ mention: m, kind: 'related', from: m.at, to: m.end + tail(RELATED_AFTER)! });
  }
  // In Korean the list comes before the word that sets it aside ("A랑 B는 빼고"): A goes with B.
  for (let i = ms.length - 2; i >= 0; i--) {
    const next = out.find((a) => a.mention === ms[i + 1] && a.from === ms[i + 1]!.at);
    if (next && !out.some((a) => a.mention === ms[i]) && KO_LIST_GAP.test(lower.slice(ms[i]!.end, ms[i + 1]!.at))) {
      out.push({ mention: ms[i]!, kind: next.kind, from: ms[i]!.at, to: ms[i + 1]!.at });
    }
  }
  return out;
}

/**
 * The request with the clauses that set things aside taken out ("cancel the refund work, keep the stripe
 * webhook" → "cancel the refund work"): the words the fixed patterns read, so a status said of a thing
 * aside ("start the billing work once the webhook is done") is not read as asked. Undefined when nothing
 * is said aside (or the text's letters change length when lower-cased, so the clauses cannot be placed).
 */
export function mainClause(call: Call, text: string, titles?: Titles): string | undefined {
  if (norm(text) !== text.toLowerCase()) return undefined;
  const said = asides(text, mentions(call, text, titles));
  if (!said.length) return undefined;
  let out = text;
  for (const a of [...said].sort((x, y) => y.from - x.from)) out = `${out.slice(0, a.from)} ${out.slice(a.to)}`;
  return out
    .replace(/\s+/g, ' ')
    .replace(/\s+([,;.!?])/g, '$1')
    .replace(/^[\s,;.]*(?:(?:and|but|then|so)\s+)?/iu, '')
    .replace(/(?:[\s,;]+(?:and|but|then|so))?[\s,;]*$/iu, '')
    .trim();
}

/** A dependency read by the things named, counting what is said as waited for ("start X once Y is done"). */
export function dependencyByNames(call: Call, text: string, titles?: Titles): Intent | undefined {
  const all = mentions(call, text, titles);
  return readWith(DEPENDENCY_RULES, text, all, asides(text, all).filter((a) => a.kind === 'left')).intent;
}

/**
 * The first of `rules` that reads `text` with the clauses in `drop` taken out (their things named too),
 * and the words and things the rules read (for what is tried after them).
 */
function readWith(rules: readonly Rule[], text: string, all: Mention[], drop: readonly Aside[]): { intent?: Intent; r: string; by: Record<Kind, string[]> } {
  const ms = all.filter((m) => !drop.some((d) => d.mention === m));
  const r = rest(text, all, drop);
  const by: Record<Kind, string[]> = { task: [], plan: [], flow: [], snapshot: [] };
  for (const m of ms) if (!by[m.kind].includes(m.id)) by[m.kind].push(m.id);
  for (const rule of rules) {
    const intent = rule(r, by, ms);
    if (intent) return { intent, r, by };
  }
  return { r, by };
}

/**
 * The ids a request names only to leave alone (`left`: no change may act on them) or as what another
 * thing waits for (`related`: no change of one thing may act on them; a dependency may name them).
 */
export function spokenAside(call: Call, text: string, titles?: Titles): { left: Set<string>; related: Set<string> } {
  const said = asides(text, mentions(call, text, titles));
  const ids = (kind: Aside['kind']) => new Set(said.filter((a) => a.kind === kind).map((a) => a.mention.id));
  return { left: ids('left'), related: ids('related') };
}

// Request words that ask nothing where they stand, taken out before the rules read the rest:
// a clause said in the negative ("don't mark § done"; "don't need to wait" is kept: it drops a dependency),
const NEGATED_CLAUSE = /\b(?:don'?t|do not|never)\s+(?!(?:need|wait|depend|have to)\b)[^,;.]*/g;
// a state said as no longer so ("§ is no longer blocked", "isn't cancelled": the opposite, not a guess),
const NEGATED_STATE = /\b(?:no longer|not|isn'?t|aren'?t|wasn'?t|un)[- ]?(?:(?:really|actually|even|yet)\s+)?(?:blocked|stuck|cancell?ed|canceled)\b/g;
// and a verb word naming some other thing after "a", "the" or a possessive ("the done button", "a delete
// button", "the refund flow's review tab"), unless what follows is the thing asked about or a plain function word.
const MODIFIER = /(\b(?:a|an|the)\s+|§ 's\s+)(?:done|finish(?:ed)?|complete(?:d)?|delete|remove|cancel|skip|drop|start|review|block(?:ed)?|stuck|archive|move|release|claim|pin|unpin|restore|reopen|switch|open|close[ds]?)\s+(?!(?:on|of|for|to|in|into|from|by|and|or|but|with|at|it|this|that|them|now|soon|please|pls|first|then|yet|anymore|again|today|since|because|as|so|tasks?|items?|todos?|ones?)\b)(?=[a-z])/g;
const withoutWordsNotAsked = (r: string) => r.replace(NEGATED_CLAUSE, ' ').replace(NEGATED_STATE, ' ').replace(MODIFIER, '$1');

const PRIORITY_WORD = /\b(urgent|critical|asap|high|low|medium|normal)\b|(긴급|급함|높음|높게|낮음|낮게|보통|중간)/u;
const STATUS_WORDS: [RegExp, string][] = [
  [/\b(?:blocked|stuck)\b|막힌|막혀/u, 'blocked'],
  [/\bin[- ]progress\b|\bbeing worked on\b|진행\s*중/u, 'in_progress'],
  [/\b(?:review|reviewed)\b|리뷰|검토/u, 'review'],
  [/\b(?:done|finished|completed)\b|완료된|끝난/u, 'done'],
  [/\b(?:cancell?ed|dropped|skipped)\b|취소된/u, 'cancelled'],
  [/\b(?:open|todo|left|remaining|pending|not started)\b|남은|열린|시작\s*안\s*한|아직\s*안/u, 'todo'],
];

// What is asked, tried in this order (the first whose words and named things fit is the reading).
// Each test runs on the sentence with the names taken out; a rule returns undefined when the things
// named do not fit it, and the next is tried.
type Rule = (r: string, by: Record<Kind, string[]>, ms: Mention[]) => Intent | undefined;
const one = (ids: string[]) => (ids.length === 1 ? ids[0] : undefined);
const taskVerb = (verb: string): Rule => (_r, by) => (one(by.task) && !by.plan.length ? { noun: 'task', verb, positionals: [by.task[0]!] } : undefined);
const when = (re: RegExp, rule: Rule): Rule => (r, by, ms) => (re.test(r) ? rule(r, by, ms) : undefined);

// "not done yet", "아직 안 끝났어", "완료 안 됐어", "아직 완료 아니야": the opposite of done (a reopen, when said
// so, is read before done).
const NOT_DONE = /\b(?:not|isn'?t|aren'?t|wasn'?t|never)\s+(?:\w+\s+)?(?:done|finished|complete(?:d)?)\b|(?:^|\s)(?:안|못)\s*(?:완료|끝)|(?:완료|끝)\S*\s*(?:이|가|은|는)?\s*(?:안|못)\s*(?:됐|되|했|함|해|났)|(?:완료|끝)\S*\s*(?:이|가)?\s*아니/u;
// "isn't working on §", "nobody is working on §", "haven't started §", "아직 시작 안 했어": no start.
const NOT_STARTED = /(?:\bnot|n't|\bno\s+longer|\bstopped|\bstop|\bquit|\bnobody|\bno\s+one)\s+(?:\w+\s+)?(?:working\s+on|start(?:ed)?|begun)\b|시작\S*\s*(?:을|를)?\s*(?:안|못)\s*(?:했|함|해)|(?:안|못)\s*시작/u;

// "billing first, refund work depends on it", "X is a prerequisite for Y": the thing named first is waited for.
const POINTS_BACK_TO_FIRST = /^[^§]*§[^§]*§\s*(?:is\s+|are\s+)?(?:(?:still\s+)?(?:depends?|depending|waits?|waiting|blocked|needs?|requires?)\s+(?:on|for|by)?\s*(?:it|that|this|them)\b|\S*\s*그(?:거|것)에?\s*의존)|§\s+(?:is|are)\s+(?:a\s+)?(?:prerequisite|required|needed|a\s+blocker)\s+(?:for|by)\s+(?:the\s+)?§/u;

const DEPENDENCY_RULES: Rule[] = [
  // Dependencies: two or more tasks. "X no longer waits for Y" drops one; "Y before X" reads backwards.
  when(/\b(?:no longer|not|doesn'?t|don'?t|shouldn'?t|won'?t|never|stop)\b.*\b(?:wait|depend|need)|의존\S*\s*(?:하지|지)\s*(?:않|마)|의존\s*안|\b(?:remove|drop|delete)\b.*\bdependenc|\b(?:unlink|decouple|independent)\b|의존(?:성)?\s*(?:을|를)?\s*(?:제거|삭제|없애|끊어|풀어|빼)|안\s*기다려/u, (_r, by) =>
    by.task.length >= 2 ? { noun: 'task', verb: 'undepend', positionals: by.task } : undefined),
  // "X before Y": Y waits for X; "before Y, X has to be done" and "Y can't start before X is done" say the same the other way round.
  when(/\bbefore\b|전에\s*(?:끝나|완료|해야)/u, (r, by) =>
    by.task.length >= 2 && /\b(?:done|finished|complete|ship|land|first|start|begin|do|tackle)|끝나|완료/u.test(r)
      ? { noun: 'task', verb: 'depend', positionals: /^[^§]*\bbefore\b/u.test(r) || /\b(?:can'?t|cannot|won'?t|not|shouldn'?t|mustn'?t|never)\b[^§]*\bbefore\b/u.test(r) ? by.task : [by.task.at(-1)!, ...by.task.slice(0, -1)] }
      : undefined),
  // The prerequisite may come first: "A 다음에 B 시작해줘", "A가 끝나야 B를 할 수 있어", "after A is done start B" (B waits for A).
  when(/\b(?:depends?|depending|wait(?:s|ing)?|until|after|once|as soon as|blocked by|needs?|requires?|prerequisite)\b|\bwhen\s+(?:the\s+)?§\s+(?:is|are|gets?|has\s+been)\s+(?:done|finished|merged|complete(?:d)?|shipped|landed)\b|다음에|후에|뒤에|끝나야|끝나고|끝나면|완료\S*(?:면|야)(?=\s|$)|마치면|끝내면|마치고|끝내고|하고\s*나서|의존|기다려/u, (r, by) =>
    by.task.length < 2
      ? undefined
      : { noun: 'task', verb: 'depend', positionals: /^[^§]*§\s*(?:이|가)?\s*(?:끝나야|끝나고|끝나면|완료\S*(?:면|야)(?=\s|$)|마치면|끝내면|마치고|끝내고|(?:하고\s*)?나서|끝난\s*(?:다음에|후에|뒤에)|다음에|후에|뒤에|이후에)|^[^§]*\b(?:after|once|when|as soon as|following)\b[^§]*§/u.test(r) || POINTS_BACK_TO_FIRST.test(r) ? [by.task.at(-1)!, ...by.task.slice(0, -1)] : by.task }),
];
const RULES: Rule[] = [
  // A plan to a place in its flow: "move Auth to the top".
  when(/\b(?:top|first|second|third|last)\b|맨\s*위|첫\s*번째|두\s*번째/u, (r, by) =>
    !by.task.length && one(by.plan) && /\b(?:move|put|make)\b|올려|옮겨/u.test(r) ? { noun: 'plan', verb: 'move', positionals: [by.plan[0]!, /second|두/u.test(r) ? '2' : /third/.test(r) ? '3' : '1'] } : undefined),
  // A task into a plan.
  // In English the plan is where the words send it ("under §", "into §"): "§ goes live with the § changes"
  // or "put a spinner on § for §" names a plan beside a task without moving anything.
  when(/\bmove\b|\b(?:belongs?|goes)\s+(?:in|into|to|under)\b|\b(?:put|file)\s+(?:it|this|that|them|§)|옮겨|옴겨|이동|넣어/u, (r, by) =>
    one(by.task) && one(by.plan) && (/[\uac00-\ud7a3]/u.test(r) || /\b(?:to|into|in|under)\s+(?:the\s+)?§/.test(r))
      ? { noun: 'task', verb: 'move', positionals: [by.task[0]!, by.plan[0]!] }
      : undefined),
  // A task's priority.
  when(PRIORITY_WORD, (r, by) => {
    const m = PRIORITY_WORD.exec(r)!;
    if (!one(by.task) || !/\b(?:priority|prio|make|set|bump|raise|lower|mark|change)\b|우선\s*순위|바꿔|올려|내려|변경|설정/u.test(r)) return undefined;
    return { noun: 'task', verb: 'edit', positionals: [by.task[0]!], flags: { priority: priorityWord((m[1] ?? m[2])!) } };
  }),
  // Claims, before starting ("grab the next ready task for me").
  when(/\b(?:release|unclaim|give\b.*\bback|let go|won'?t get to|hand\b.*\bback|drop my claim)|반납|내려놓|놓을게|포기|점유\s*풀|클레임\s*해제|할당\s*해제/u, taskVerb('release')),
  // "take a break", "take a look at …" take nothing: "take" claims only what it names.
  when(/\b(?:claim|grab|take(?!\s+(?:a|an|some|my|our|your|five|ten|care|time|notes?)\b)|assign\b.*\bme|mine)\b|맡을게|맡겠|가져갈게|내가\s*할게|제가\s*할게|잡아\s*줘|찜|클레임/u, (r, by) =>
    one(by.task) ? { noun: 'task', verb: 'claim', positionals: [by.task[0]!] } : !by.task.length && /\b(?:next|ready|whatever|something|anything)\b|다음|아무거나|할\s*수\s*있는/u.test(r) ? { noun: 'task', verb: 'claim', positionals: [] } : undefined),
  // Status changes of one task: "not done" reopens before "done" finishes.
  when(/\b(?:reopen|re-open|not (?:actually |really )?done|isn'?t (?:actually |really )?done|came back|undo done|back to (?:todo|open)|needs more work)\b|다시\s*열|재개|안\s*끝났|할\s*일\s*(?:상태)?로\s*(?:되돌려|돌려|바꿔)|todo로/u, (r, by, ms) =>
    // "not done yet", "아직 안 끝났어": still being worked on, not taken back to todo.
    /\byet\b|아직/u.test(r) ? undefined : taskVerb('reopen')(r, by, ms)),
  when(/\b(?:cancel|won'?t do|not doing|drop|skip|abandon|scrap|forget about)\b|취소|안\s*하기로|그만|건너뛰/u, taskVerb('cancel')),
  when(/\b(?:block|blocked|stuck|on hold|hold off|can'?t proceed)\b|막혔|막힘|막혀|보류|차단|못\s*함|못\s*해|블락(?!체인|\s*(?:해제|풀|안|아님|아니))|블록\s*(?:걸어|처리|해)(?!\s*제)/u, taskVerb('block')),
  when(/\breview\b|리뷰|검토/u, taskVerb('review')),
  // ("stopped working on §", "not working on § anymore" start nothing: the status-taken-back reading, or a cancel said beside it.)
  when(/\b(?:start(?:ing|ed)?|picking up|pick up|working on|begin(?:ning)?|kick(?:ing)? off)\b|시작|착수|하는\s*중|진행\s*중\s*(?:으로|으로\s*바꿔)/u, (r, by, ms) =>
    NOT_STARTED.test(r) ? undefined : taskVerb('start')(r, by, ms)),
  when(/\b(?:done|finish(?:ed)?|complete(?:d)?|shipped|wrapped up|closed|merged)\b|✅|완료|끝났|끝냈|끝남(?![\p{L}\p{N}])|다\s*했|다\s*함(?![\p{L}\p{N}])|마쳤/u, (r, by) =>
    NOT_DONE.test(r) ? undefined : one(by.task) ? { noun: 'task', verb: 'done', positionals: [by.task[0]!] } : !by.task.length && one(by.plan) ? { noun: 'plan', verb: 'done', positionals: [by.plan[0]!] } : undefined),
  // Snapshots by what they are.
  when(/\b(?:unpin)\b|고정\s*해제/u, (_r, by) => (one(by.snapshot) ? { noun: 'snapshot', verb: 'unpin', positionals: [by.snapshot[0]!] } : undefined)),
  when(/\b(?:pin|keep\b.*\bforever|never\b.*\bpruned?)\b|고정/u, (_r, by) => (one(by.snapshot) ? { noun: 'snapshot', verb: 'pin', positionals: [by.snapshot[0]!] } : undefined)),
  when(/\b(?:restore|roll\s*back|go back|revert)\b|복원|되돌려|돌아가/u, (_r, by) => (one(by.snapshot) ? { noun: 'snapshot', verb: 'restore', positionals: [by.snapshot[0]!] } : undefined)),
  when(/\b(?:diff|changed?|changes|compare)\b|바뀐|바뀌었|달라진|달라졌|변경된|변경\s*사항|비교/u, (_r, by) =>
    one(by.snapshot) ? { noun: 'snapshot', verb: 'diff', positionals: [by.snapshot[0]!] } : by.snapshot.length === 2 ? { noun: 'snapshot', verb: 'diff', positionals: by.snapshot } : undefined),
  // Flows and plans: switch to, shelve.
  when(/\b(?:archive|shelve|park)\b|보관/u, (_r, by) =>
    one(by.flow) && !by.plan.length ? { noun: 'flow', verb: 'archive', positionals: [by.flow[0]!] } : one(by.plan) && !by.task.length ? { noun: 'plan', verb: 'archive', positionals: [by.plan[0]!] } : undefined),
  when(/\b(?:switch|switching|use|work (?:on|in)|go to|move to|jump to|focus on|open|from now on|back to)\b|전환|바꿔|이동|넘어가|돌아가|이제부터|작업할게/u, (_r, by) =>
    !by.task.length && one(by.flow) && !by.plan.length ? { noun: 'flow', verb: 'use', positionals: [by.flow[0]!] } : !by.task.length && one(by.plan) ? { noun: 'plan', verb: 'use', positionals: [by.plan[0]!] } : undefined),
  // Deleting one thing (never run without --confirm, like every delete).
  when(/\b(?:delete|remove|trash|get rid of|nuke|scrap)\b|삭제|지워/u, (r, by, ms) => {
    if (/\bdon'?t (?:delete|remove)\b|삭제\s*하지\s*마/u.test(r) || new Set(ms.map((x) => x.id)).size !== 1) return undefined;
    const m = ms[0]!;
    // "remove the stripe webhook plan": the thing said is a plan the title only comes near, not the task.
    const said = /§\s+(task|plan|flow|snapshot)\b/.exec(r)?.[1];
    if (said && said !== m.kind) return undefined;
    return m.kind === 'snapshot' ? undefined : { noun: m.kind, verb: 'delete', positionals: [m.id] };
  }),
  // Tasks by status and plan, before one thing's details ("show me blocked tasks in Payments").
  (r, by) => (/\b(?:tasks|todos|items)\b|작업|태스크|할\s*일|(?:인|한|난|된)\s*(?:거|것)/u.test(r) ? listRequest(r, by) : undefined),
  // One thing's details.
  when(/\b(?:show|details?|tell me about|how far|progress|overview|status of|what'?s up with|look at|full story|story on|info on|everything about|doing)\b|보여|알려|어때|어떻게\s*돼|상세|진행\s*상황/u, (_r, by, ms) => {
    if (ms.length !== 1) return undefined;
    const m = ms[0]!;
    return { noun: m.kind, verb: 'show', positionals: [m.id] };
  }),
];

// A task's status taken back, as the whole request ("undo marking § done", "unmark § as done", "stop
// working on §", "unblock §", "§ 완료 처리 취소해줘"): its words also hold the status being taken back, which
// every other reading did ("undo marking deploy done" marked it done; "stop working on §" started it; "완료
// 처리 취소" cancelled the task). Only as the whole request: "cancel §, we stopped working on it" is a cancel.
const STATUS_WORD = String.raw`(done|finished|complete(?:d)?|started|in[- ]progress|blocked|in\s+review|review(?:ed)?|cancell?ed|skipped)`;
/** The forms, each with the status it takes back: its own, or the one its status word names (statusNamed). */
const TAKEN_BACK_FORMS: { re: RegExp; from?: string }[] = [
  { re: new RegExp(String.raw`^(?:(?:sorry|oops|oh)[,!]?\s+)?(?:please\s+)?(?:(?:can|could)\s+you\s+)?(?:undo|revert|reverse|take\s+back|roll\s*back|rollback)\s+(?:the\s+)?(?:(?:marking|setting|putting)\s+(?:of\s+)?)?(?:the\s+)?§(?:\s+task)?\s+(?:as\s+)?${STATUS_WORD}(?:\s+please)?\s*[.!]?$`, 'u') },
  { re: new RegExp(String.raw`^(?:(?:sorry|oops|oh)[,!]?\s+)?(?:please\s+)?(?:unmark|un-mark)\s+(?:the\s+)?§(?:\s+task)?\s+(?:as\s+)?${STATUS_WORD}(?:\s+please)?\s*[.!]?$`, 'u') },
  { re: /^(?:(?:i|we)(?:'m|'re|\s+am|\s+are|\s+have|'ve)?\s+)?(?:stopped|stop|no\s+longer|quit)\s+working\s+on\s+(?:the\s+)?§(?:\s+task)?(?:\s+(?:for\s+now|now|anymore|any\s+more))?\s*[.!]?$/u, from: 'in_progress' },
  { re: /^(?:please\s+)?unblock\s+(?:the\s+)?§(?:\s+task)?(?:\s+(?:now|please))?\s*[.!]?$/u, from: 'blocked' },
  // "undo starting §", "undo the block on §", "take back finishing §"
  { re: /^(?:(?:sorry|oops|oh)[,!]?\s+)?(?:please\s+)?(?:undo|revert|take\s+back|roll\s*back|rollback)\s+(?:the\s+|my\s+)?(start(?:ing)?|block(?:ing)?|finish(?:ing)?|complet(?:e|ing)|review(?:ing)?|cancel(?:l?ing)?)\s+(?:(?:of|on)\s+)?(?:the\s+)?§(?:\s+task)?\s*[.!]?$/u },
  { re: /^§\s*(?:을|를|은|는|이|가)?\s*(?:태스크|작업)?\s*(?:을|를)?\s*(?:의\s*)?(완료|끝|시작|차단|막힘|보류|리뷰|검토)\s*(?:처리|표시|상태)?\s*(?:(?:를|을)|(?:한|된|했던)\s*(?:거|것)(?:을|를)?)?\s*(?:좀\s*)?(?:취소|되돌려|되돌리|원래대로|무르|물러)\S*(?:\s+(?:좀|주세요|줘|줄래요?|부탁(?:해|해요|합니다)?|해\s*줘|해\s*주세요))*\s*[.!]?$/u },
];
/** The status a taken-back form's status word names. */
function statusNamed(word: string | undefined): string {
  const w = (word ?? '').toLowerCase();
  if (/^(?:done|finished|complete|completed|완료|끝)$/u.test(w)) return 'done';
  if (/^(?:started|in[- ]progress|시작|start|starting)$/u.test(w)) return 'in_progress';
  if (/^(?:blocked|차단|막힘|보류|block|blocking)$/u.test(w)) return 'blocked';
  if (/^(?:in\s+review|review|reviewed|reviewing|리뷰|검토)$/u.test(w)) return 'review';
  if (/^(?:finish|finishing|complete|completing)$/u.test(w)) return 'done';
  return 'cancelled';
}
/** Words that take a status back somewhere in a request: no other reading may then do that status. */
const TAKES_BACK = /\b(?:undo|unmark|un-mark|revert|reverse|take\s+back|roll\s*back|rollback)\b|(?:완료|끝|시작|진행|차단|막힘|보류|리뷰|검토)\S*\s*(?:처리|표시|상태)?\s*(?:(?:를|을)|(?:한|된|했던)?\s*(?:거|것)(?:을|를)?)?\s*(?:좀\s*)?(?:취소|되돌려|되돌리|원래대로|무르|물러)/iu;

/** Whether the request, its titles aside ("mark Undo button done" says nothing of undoing), takes a status back. */
export function takesBackWords(call: Call, text: string, titles?: Titles): boolean {
  return TAKES_BACK.test(rest(text, mentions(call, text, titles)));
}

/**
 * Whether `text` is, as a whole, a task's status taken back: the one task it names by title (undefined
 * when it names none or several) and the status taken back; undefined when it asks something else.
 */
export function statusTakenBack(call: Call, text: string, titles?: Titles): { task?: string; from: string } | undefined {
  const ms = mentions(call, text, titles);
  if (ms.some((m) => m.kind !== 'task')) return undefined;
  const r = rest(text, ms).trim();
  for (const form of TAKEN_BACK_FORMS) {
    const m = form.re.exec(r);
    if (!m) continue;
    const tasks = [...new Set(ms.map((x) => x.id))];
    return { task: tasks.length === 1 ? tasks[0] : undefined, from: form.from ?? statusNamed(m[1]) };
  }
  // Said with a name that is not a whole title ("stop working on it"): the same forms, the name unknown.
  const unnamed = text.trim().toLowerCase().replace(/^(?:please\s+)?/, '');
  if (ms.length === 0 && /^(?:undo|unmark|un-mark|revert)\s+(?:marking\s+)?\S.*\s(?:done|finished|complete|completed)\s*[.!]?$|^(?:(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+)?(?:stopped|stop|no\s+longer|quit)\s+working\s+on\s+\S/u.test(unnamed)) {
    return { from: /working/.test(unnamed) ? 'in_progress' : 'done' };
  }
  return undefined;
}

/** Tasks by status and plan: "anything waiting for review?", "blocked tasks in Payments", "결제 남은 작업". */
function listRequest(r: string, by: Record<Kind, string[]>): Intent | undefined {
  if (/\bnext\b/.test(r)) return undefined; // "done with that, what's next?" asks for the next task
  // "mark the task done" asks for a change of a task it does not name, not for the done tasks.
  // ("which tasks are left to complete" does ask for a list: finish/complete/close change only as the verb said first.)
  if (/\b(?:mark|set|make|change|move)\b|^(?:finish|complete|close)\b/.test(r)) return undefined;
  // "I finished the refund task" says what someone did to a task (one not found), not which tasks are done.
  // (Asked, it is a list: "which tasks have we finished?")
  if (!/^\s*(?:which|what|how|show|list|any|are|did|have)\b|[?？]\s*$/u.test(r) && /\b(?:i|we)(?:'ve|\s+have|'m|\s+am|'re|\s+are)?\s+(?:just\s+|already\s+)?(?:finished|completed|done|started|starting|blocked|cancell?ed|dropped|skipped|reviewed)\b/.test(r)) return undefined;
  if (by.task.length || by.flow.length || by.snapshot.length || by.plan.length > 1) return undefined;
  if (!/\b(?:tasks?|todos?|items|anything|what'?s|what is|which|list|show)\b|작업|태스크|할\s*일|뭐|(?:거|것)/u.test(r)) return undefined;
  const status = STATUS_WORDS.find(([re]) => re.test(r))?.[1];
  // Without a status or a plan it must still ask for a list ("what tasks do we have?"), not be a mistyped command ("tasks lsit").
  if (!status && !by.plan.length && !/\b(?:show|list|what|which|see|give)\b.*\b(?:tasks|todos|items)\b|(?:작업|태스크|할\s*일).*(?:보여|목록|뭐|있어)/u.test(r)) return undefined;
  const flags: Record<string, string> = {};
  if (status) flags.status = status;
  if (by.plan.length) flags.plan = by.plan[0]!;
  return { noun: 'task', verb: 'list', flags };
}

/**
 * Whether `text` is nothing but the names of things ("delete account" where a task is titled "Delete
 * account"): a title said alone names it, and asks nothing of it, whatever verb its words hold.
 */
export function namesOnly(call: Call, text: string, titles?: Titles): boolean {
  const ms = mentions(call, text, titles);
  let lower = norm(text);
  for (const m of [...ms].reverse()) lower = lower.slice(0, m.at) + ' ' + lower.slice(m.end);
  return ms.length > 0 && !/[^\s\p{P}]/u.test(lower); // "✅ stripe webhook" says something beside the name
}

/** Whether `text` names any task, plan, flow or snapshot by its whole title. */
export function namesAny(call: Call, text: string, titles?: Titles): boolean {
  return mentions(call, text, titles).length > 0;
}

/** The one reading of `text` by the things it names, or undefined when none or more than one could be meant. */
export function readByNames(call: Call, text: string, titles?: Titles): Intent | undefined {
  const all = mentions(call, text, titles);
  const said = asides(text, all);
  // Dependencies read the things waited for too; every other rule only what is not said aside.
  const dependency = readWith(DEPENDENCY_RULES, text, all, said.filter((a) => a.kind === 'left')).intent;
  if (dependency) return dependency;
  const { intent, r, by } = readWith(RULES, text, all, said);
  return intent ?? listRequest(r, by);
}
