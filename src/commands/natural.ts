// Plain language, English and Korean, read by fixed patterns (deterministic: the same words always
// mean the same command). Each pattern names a grammar command and where its arguments are; names
// are then resolved exactly as in the grammar, so an ambiguous name lists candidates instead of
// guessing, and a destructive request is never run without an explicit confirmation.
import type { Call } from '../core/kernel/workspace.js';
import { helpText } from './grammar.js';
import { buildCommand, type Parsed } from './build.js';
import { clip, count } from '../model/error-text.js';
import { quotedSpans } from './words.js';
import { def, onlyLooks, PH_CLOSE, PH_OPEN, priorityWord, QUESTION } from './plain-words.js';
import { EN } from './plain-english.js';
import { KO } from './plain-korean.js';
import { manyAtOnce, unsafeChange } from './plain-guards.js';
import { dependencyByNames, mainClause, namedTasks, namesAny, namesOnly, norm, readByNames, spokenAside, statusTakenBack, takesBackWords, titlesOf, wordsBesideNames, type Titles } from './plain-intent.js';
import { findTask, titleAfterId } from '../core/kernel/names.js';
import { resolveName } from '../core/kernel/resolve-name.js';
import { knownWords } from '../core/docs/vocabulary.js';

/**
 * Longest plain-language request read: a sentence around a title (titles are at most 500 characters).
 * The patterns' lazy groups cost up to (length²) steps each on text they do not fit, so the bound is
 * what keeps a long line from holding the process.
 */
export const MAX_PLAIN_CHARS = 600;

/**
 * `wholeQuotes`: read only if every quoted span comes back as a whole argument (the grammar asks this
 * when words stood beside a quoted title: it takes a reading that names them, not one that swallows them).
 */
export function parseNatural(call: Call, input: string, opts: { wholeQuotes?: boolean; grammar?: boolean } = {}): Parsed | undefined {
  // One list of the names there are for the reading and the checks after it (each list is one query).
  const titles = titlesOf(call);
  const r = readNatural(call, input, opts, titles);
  // A request said of many things, unread or refused with a command offered ("did you mean", "it fits a
  // task in another flow, do this by id"), says so: the offer would change the very thing it spared.
  // Only for what the patterns may read: a longer text was refused as too long, before any title was looked for.
  if (input.length <= MAX_PLAIN_CHARS && (r === undefined || (r.kind === 'error' && /\/flow\s+(?!list|show|search|next)/u.test(r.hint ?? '')))) {
    const text = withoutFiller(protectQuotes(input.trim()).text.replace(/\s+/g, ' '));
    return manyAtOnce(wordsBesideNames(call, text, titles)) ?? r;
  }
  if (r?.kind !== 'run' || onlyLooks(r.command) || r.command.args.action === 'create' || freeText(r.command.args).length) return r;
  // Whatever the patterns made of it, a change not asked plainly is not run (plain-guards.ts).
  // As written, fillers and all: "can you … ?" asks politely, which the filler stripping would hide.
  // Curly apostrophes as straight ones: "don’t cancel billing" is how phones type it.
  const text = protectQuotes(input.trim()).text.replace(/[ \t]+/g, ' ').replace(/[’‘]/gu, "'");
  return unsafeChange(r.command, text, wordsBesideNames(call, text, titles), titles.of('task'), namedTasks(call, text, titles)) ?? r;
}

function readNatural(call: Call, input: string, opts: { wholeQuotes?: boolean; grammar?: boolean }, titles: Titles): Parsed | undefined {
  if (input.length > MAX_PLAIN_CHARS * 2) return tooLong(input.length);
  // Quoted spans first, before any pattern, trimming or stripping sees the text: each is a title.
  const { text: shielded, restore, mixed } = protectQuotes(input.trim());
  const text = withoutFiller(shielded.replace(/\s+/g, ' '));
  const plainLength = text.length + input.trim().length - shielded.length; // as the person wrote it
  if (plainLength > MAX_PLAIN_CHARS) return tooLong(plainLength);
  // A request taken back at its end ("cancel X? no wait, keep it"; "delete X. never mind"): nothing is
  // done. Only at the end, after a break in the sentence, with nothing asked after it, and never in a
  // text being kept ("decision: never mind the legacy API"): anything else is read as it was.
  const back = takenBackAtEnd(text);
  if (back) return takenBack(restore(back));
  // "is the login page done?", "who is working on X?" ask to see: a reading that would change something is no reading.
  const question = QUESTION.test(text);
  // ... and so does one after a label ("fyi: should we delete X?", "참고: X 끝났어?"), unless the words after the
  // label are a text being kept (a question or description saved as said).
  const labelled = !question && QUESTION.test(/^[^:：]{1,40}[:：]\s*(.+)$/u.exec(text)?.[1] ?? '');
  // A status taken back ("undo marking § done", "unblock §", "§ 완료 처리 취소해줘"), as the request or as a
  // part of it read alone ("unblock §, the key arrived"), puts the task back to todo when it has that
  // status; never in a question, a kept text or a new task's title ("add a task to stop working on weekends").
  // Not in a request that asks or hesitates, anywhere in it ("unblock §? not yet"); a part only when it is
  // the request and the rest an aside after it ("unblock §, the key arrived"), not a condition ("unblock
  // §, if the key arrives") nor someone's words ("Bob said, unblock §").
  const mayTakeBack = !question && !labelled && !/[?？]/.test(text) && !HESITATION.test(text);
  const takenBackIn = (t: string): Parsed | undefined => {
    if (!mayTakeBack || KEPT_TEXT.test(t) || ADD_START.test(t)) return undefined;
    if (t !== text) {
      const at = text.indexOf(t);
      if (at < 0 || !INTERJECTION_ONLY.test(text.slice(0, at)) || CONDITION.test(text.slice(at + t.length))) return undefined;
    }
    const back = statusTakenBack(call, t, titles);
    return back && reopenTakenBack(call, back);
  };
  // Words that take a status back, anywhere in the request but a title ("I marked § done by mistake, undo
  // that"; "note: undo marking § done"): no reading of it, or of a part of it, may set a status or claim.
  const takesBack = takesBackWords(call, text, titles);
  const read = (t: string) => {
    // A title said alone ("delete account", "Block list UI", or before a note: "Delete account: waiting on
    // legal") names a thing; its words are not a request to do them to it.
    if (namesOnly(call, t, titles)) return undefined;
    const back = takenBackIn(t);
    if (back) return back;
    const r = readAround(call, t, restore, mixed, { ...opts, titles });
    const aside = r?.kind === 'run' && !onlyLooks(r.command) ? actsOnAside(call, r.command, t, titles) : undefined;
    if (aside) return aside;
    if (takesBack && r?.kind === 'run' && r.command.tool === 'task' && ((r.command.args.action === 'set_status' && r.command.args.status !== 'todo') || r.command.args.action === 'claim')) {
      return { kind: 'error' as const, message: `"${clip(t, 80)}" takes a status back, and reads as setting one; nothing was done.`, hint: 'Say it alone ("undo marking <task> done"), or say the status it should have: /flow reopen task <task>, /flow start task <task>.' };
    }
    // A part read alone that is itself a question asks too ("참고: X 끝났어?", "fyi: should we delete X?"); a
    // question saved whole is no change to hold back ("open question: what happens if we delete X?").
    const kept = r?.kind === 'run' && freeText(r.command.args).length > 0;
    const asks = t === text ? (question && !(r?.kind === 'run' && r.command.tool === 'context')) || (labelled && !kept) : question || labelled || QUESTION.test(t);
    return asks && r?.kind === 'run' && !onlyLooks(r.command) ? undefined : r;
  };
  const whole = read(text);
  // A read that passed over a slipped word ("show blokced tasks" listed every task): the reading with the
  // slip mended, when it is a read too, with a note saying how the word was read.
  if (whole?.kind === 'run' && onlyLooks(whole.command) && !opts.grammar) {
    const mended = withVerbsFixed(text);
    const r = mended !== text ? read(mended) : undefined;
    if (r?.kind === 'run' && onlyLooks(r.command) && r.command.text !== whole.command.text) return { ...r, command: { ...r.command, notes: [...(r.command.notes ?? []), slipNote(text, mended)] } };
  }
  // A name that fit only in part may be the sentence read wrong as a whole ("login page done, delete account
  // blocked" read as a delete of "account blocked"): its parts are read first, as for a whole not understood.
  if (whole && whole.kind !== 'error' && !(whole.kind === 'choose' && whole.partial)) return whole.kind === 'run' && !onlyLooks(whole.command) ? (twoJoined(text, read, (t) => namesAny(call, t, titles), freeText(whole.command.args), whole.command.tool === 'context') ?? whole) : whole;
  // What people type mid-session wraps the request in context and reasons ("ok so the webhook stuff is
  // merged, mark stripe webhook done"; "rename X to Y since design renamed everything"): the part after
  // the context, then the part before the reason, is read on its own; and a mistyped verb ("reopne",
  // "mvoe") is read as the verb it is one slip away from.
  // After "/flow" the grammar's own "did you mean" answers a slip instead: nothing is read into a command.
  const fixed = opts.grammar ? text : withVerbsFixed(text);
  for (const candidate of [...(fixed !== text ? [fixed] : []), ...parts(fixed)]) {
    const r = read(candidate);
    if (!r || r.kind === 'error') continue;
    // The words left out were context or a reason; when they are a change of their own ("mark X done, then
    // block Y"), running one and dropping the other would do half of what was asked without saying so.
    if (r.kind === 'run' && !onlyLooks(r.command) && candidate !== fixed) {
      const left = leftOut(fixed, candidate);
      // "add a task clean up, after the release" where no task is "release": the part without the
      // prerequisite would add the task and drop what it waits for in silence; the whole says what is missing.
      if (whole?.kind === 'error' && r.command.args.action === 'create' && PREREQUISITE_WORDS.test(left)) return whole;
      const other = left ? read(left) : undefined;
      if (other?.kind === 'run' && !onlyLooks(other.command)) return twoRequests(r.command.text, other.command.text);
    }
    return fixed !== text && r.kind === 'run' ? { ...r, command: { ...r.command, notes: [...(r.command.notes ?? []), slipNote(text, fixed)] } } : r;
  }
  return whole;
}

/**
 * A request that sets things aside ("…, keep X", "except X", "once X is done", "X는 빼고") is read by
 * its main clause, after the dependency it may say ("start the refund flow once the webhook is done":
 * Refund flow waits for the webhook). The words about a thing aside are never read as asked of anything.
 */
function readAround(call: Call, t: string, restore: (s: string) => string, mixed: () => boolean, opts: { wholeQuotes?: boolean; titles: Titles }): Parsed | undefined {
  const whole = readRequest(call, t, restore, mixed, opts);
  // A look, a new task (its prerequisite said after it is its own), a text kept as said, a dependency:
  // read whole. Only a change of things already there is read by its main clause.
  const main = mainClause(call, t, opts.titles);
  let read = main ? readRequest(call, main, restore, mixed, opts) : undefined;
  // "start X after Y" is the order of two things; "mark X done, I finished it right after Y" and "reopen X,
  // it broke after Y" are changes of X with a reason, not a dependency (the guard then weighs the reason).
  const otherChange = read?.kind === 'run' && !onlyLooks(read.command) && !['start', 'claim', 'depend', 'undepend', 'create'].includes(String(read.command.args.action)) && read.command.args.status !== 'in_progress';
  if (whole?.kind === 'run' && whole.command.args.action === 'depend' && otherChange && /[,;.]|\b(?:since|because|cuz|as)\b/iu.test(t.slice(0, Math.max(0, t.search(ORDER_WORD))))) return read;
  if (whole?.kind === 'run' && (onlyLooks(whole.command) || ['create', 'depend', 'undepend'].includes(String(whole.command.args.action)) || freeText(whole.command.args).length > 0)) return whole;
  if (main === undefined) return whole;
  const dependency = opts.wholeQuotes || otherChange ? undefined : dependencyByNames(call, t, opts.titles);
  if (dependency) {
    const built = buildCommand(call, { def: def(dependency.noun, dependency.verb), positionals: dependency.positionals ?? [], flags: dependency.flags ?? {} }, 'plain language');
    if (built.kind === 'run') return built;
  }
  // "don't cancel X, block it instead", "keep X, but make it urgent": "it" is the one thing set aside.
  const spared = main && read?.kind !== 'run' && POINTS_BACK.test(main) ? onlySpared(call, t, opts.titles) : undefined;
  if (spared) {
    const again = readRequest(call, main!.replace(POINTS_BACK, spared.title), restore, mixed, opts);
    if (again?.kind === 'run') {
      pointedBack.add(again.command);
      read = again;
    }
  }
  // The whole read as a change of the thing set aside ("cancel everything except X") and the rest names
  // nothing: that is what is said, not that "everything" is no task.
  const aside = whole?.kind === 'run' ? actsOnAside(call, whole.command, t, opts.titles) : undefined;
  return aside && read?.kind !== 'run' ? aside : read;
}

/** The first word that says an order of two things ("after", "once", "끝나고"). */
const ORDER_WORD = /\b(?:after|before|until|till|once|when|as\s+soon\s+as|waiting\s+on|waits?\s+(?:on|for)|depends?\s+on|blocked\s+by)\b|끝나고|끝나면|끝나야|완료\S*(?:면|야)(?=\s|$)|전에|후에|다음에/iu;

/** "it" / "that one" in a main clause, pointing back at the thing set aside. */
const POINTS_BACK = /\b(?:it|that\s+one|this\s+one)\b/iu;
/** Changes read with "it" put back to the one thing set aside: the request asks them of it. */
const pointedBack = new WeakSet<object>();

/** The one thing a request sets aside to leave alone, with its title as said in the text; undefined when none or several. */
function onlySpared(call: Call, text: string, titles: Titles): { id: string; title: string } | undefined {
  const { left } = spokenAside(call, text, titles);
  if (left.size !== 1) return undefined;
  const [only] = left;
  const title = titles.every().find((n) => n.id === only)?.name;
  return title ? { id: only!, title } : undefined;
}

/**
 * A change that would act on a thing the request names only to leave alone ("cancel everything except
 * X", "…, keep X") or as what another thing waits for ("start the refund work after X"): refused, with
 * what to say instead. A dependency may name what is waited for.
 */
function actsOnAside(call: Call, command: { tool: string; args: Record<string, unknown> }, text: string, titles: Titles): Parsed | undefined {
  if (pointedBack.has(command)) return undefined;
  const { left, related } = spokenAside(call, text, titles);
  if (!left.size && !related.size) return undefined;
  const dependency = command.args.action === 'depend' || command.args.action === 'undepend';
  const targets = [command.args.id, ...(dependency ? [command.args.depends_on] : [])].flat().filter((x): x is string => typeof x === 'string');
  const hit = targets.find((id) => left.has(id) || (!dependency && related.has(id)));
  if (!hit) return undefined;
  const how = left.has(hit) ? 'as something to leave alone' : 'as what other work waits for or follows';
  return {
    kind: 'error',
    message: `The request names ${hit}${titleAfterId(call, hit)} ${how}, and reads as changing it; nothing was done.`,
    hint: 'A change acts on the one thing it names: say that by its id or whole title (/flow list tasks shows them).',
  };
}

/** What may stand before a part read as the request: nothing, or a word said in passing ("sorry, …"). */
const INTERJECTION_ONLY = /^(?:\s|[,.!;:-]|\b(?:sorry|oops|oh|ok|okay|please|hey|ah|right|so)\b|아|앗|아이고|죄송(?:해요|합니다)?|미안(?:해|해요)?)*$/iu;
/** Words of someone not decided yet ("unblock §, not yet", "…, maybe later", "아니면 그냥 둘까"). */
const HESITATION = /\b(?:not\s+yet|maybe|later|not\s+sure|perhaps|or\s+not|should\s+(?:i|we))\b|아니면|나중에|글쎄|아직은/iu;
/** A condition or a time after the request: it is not asked to happen now. */
const CONDITION = /\b(?:if|unless|when|once|after|before|until|in\s+case)\b|(?:으면|오면|하면|되면|면)(?:\s|[,.]|$)|(?:거든|때)(?:\s|[,.]|$)/iu;

/** The reading of a status taken back: the task back to todo when it has that status, else why not. */
function reopenTakenBack(call: Call, back: { task?: string; from: string }): Parsed {
  if (!back.task) {
    return {
      kind: 'error',
      message: 'That takes back a task\'s status, but does not name one task by its whole title. Nothing was done.',
      hint: 'Say which: /flow reopen task <task> puts a task back to todo (/flow start task <task> to in progress); flowmcp log shows the statuses it had.',
    };
  }
  const task = findTask(call, back.task);
  if (task.status !== back.from) {
    return {
      kind: 'error',
      message: `Task ${task.id} ("${clip(task.title, 60)}") is ${task.status.replace('_', ' ')}, not ${back.from.replace('_', ' ')}: there is nothing of that to take back. Nothing was done.`,
      hint: `Say the status it should have: /flow reopen task ${task.id} (todo), /flow start task ${task.id} (in progress); flowmcp log shows the statuses it had.`,
    };
  }
  return buildCommand(call, { def: def('task', 'reopen'), positionals: [task.id], flags: {} }, 'plain language');
}

/**
 * Where two requests are joined by "and", "then", "그리고" or a verb's "-하고": "finish the refund flow and
 * start the migration tests" had been read whole as one of them (the second, by the names it holds), and
 * "SSO 태스크 추가하고 스냅샷도 찍어줘" as the first. Korean "X도" ("the snapshot too") is read as X here.
 */
const JOINS = [/\s+(?:and\s+then|and\s+also|and|then|plus)\s+|[,;]\s*(?:and\s+)?then\s+/giu, /하고\s+(?:나서\s+)?|\s+그리고\s+|\s+그\s*다음(?:에)?\s+/gu];

/**
 * The two-requests refusal when `text` joins two changes; undefined when it does not. After a new title
 * or name ("add a task fix login and start over page") the words may be the title's own: a second
 * request there must name something by its whole title.
 */
function twoJoined(text: string, read: (t: string) => Parsed | undefined, names: (t: string) => boolean, kept: string[], note: boolean): Parsed | undefined {
  const change = (t: string) => {
    const r = t.length >= 2 ? read(withoutFiller(t).replace(/^(?:let'?s|let\s+us)\s+/i, '')) : undefined; // "… and then let's start Y"
    return r?.kind === 'run' && !onlyLooks(r.command) ? r.command : r?.kind === 'undo' ? { text: `/flow undo ${r.what}`, args: {} as Record<string, unknown> } : undefined;
  };
  for (const join of JOINS) {
    for (const m of text.matchAll(join)) {
      const korean = join === JOINS[1];
      const left = text.slice(0, m.index).trim() + (korean && m[0].startsWith('하고') ? '해줘' : '');
      const right = text.slice(m.index + m[0].length).trim();
      // The join inside a text being saved after a colon ("next step: finish X and start Y", "description
      // of X to: …") is its words; without one ("… to X and start Y") it may as well be a second request.
      if ((note || /[:：]/u.test(text.slice(0, m.index))) && kept.some((k) => norm(k).includes(norm(right)))) continue;
      const first = change(left);
      // (In Korean the verb ends the title: what follows "추가하고" is never part of it.)
      const titled = !korean && first && (typeof first.args.title === 'string' || typeof first.args.name === 'string');
      // A second change of "it" names nothing to be read by ("rename X to Y and start it", "set X high and
      // then start it"): the first alone had been run, or "and start it" kept in the new title.
      // (A claim starts the task: "take X and start it" is one request.)
      if (first?.args.action === 'claim' && /^(?:start|begin)\s+(?:it|them)\b/i.test(right)) continue;
      // ("리뷰하고 완료": reviewed, and done: left to the reading of the whole.)
      if (first?.args.status === 'review' && /^(?:완료|끝내)/u.test(right)) continue;
      // (So is a description after a change that is not an edit: "X 완료하고 설명은 …로 바꿔줘", "mark X done and
      // set its description to …"; after an edit the two are one, read whole.)
      const ofIt = (korean ? KO_IT_CHANGE : IT_CHANGE).test(right) || (first && first.args.action !== 'update' && DESCRIPTION_CHANGE.test(right)) ? { text: `"${right}"`, args: {} } : undefined;
      const second = first && (ofIt ?? ((!titled || names(right)) && (change(right) ?? (korean ? change(right.replace(/(?<=[\p{L}\p{N}])도(?=\s)/gu, '')) : undefined))));
      if (first && second) return twoRequests(first.text, second.text);
    }
  }
  return undefined;
}

// Korean says "it" by saying nothing: "'SSO 연동' 추가하고 시작해줘", "X 시작하고 우선순위 높음으로".
const KO_IT_CHANGE = /^(?:(?:\S+\s*(?:으로|로)\s*)?(?:시작|완료|끝내|블락|보류|리뷰\s*요청|검토\s*요청|삭제|지워|옮겨|이동|재개|다시\s*열어|취소)|우선\s*순위\s*(?:는|은|를|을)?\s*\S+?\s*(?:으로|로))\s*(?:해|해\s*줘|해\s*주세요|줘|주세요|하자|처리(?:해\s*줘)?|시켜\s*줘|바꿔\s*줘|바꿔|변경)?\s*$/u;
const DESCRIPTION_CHANGE = /^(?:(?:set|change|update|edit)\s+(?:the\s+|its\s+)?description\b|(?:the\s+|its\s+)?description\s*(?:to\b|:|=))|^설명\s*(?:은|는|을|를)?\s*\S.*(?:바꿔|변경|수정|적어|써)/iu;
const IT_CHANGE = /^(?:start|begin|block|finish|complete|close|reopen|claim|take|assign|move|delete|remove|rename|mark|review|cancel|archive|restore|unblock)\s+(?:it|them)\b/i;

/** The texts a command keeps as written: a description, a note for later, a document's content. */
function freeText(args: Record<string, unknown>): string[] {
  return ['description', 'question', 'summary', 'next_step', 'decision', 'content']
    .map((k) => args[k])
    .map((v) => (v && typeof v === 'object' && 'what' in v ? (v as { what: unknown }).what : v))
    .filter((v): v is string => typeof v === 'string');
}

/** Words that say a new task waits for something. */
const PREREQUISITE_WORDS = /\b(?:after|until|depends?|needs|requires|blocked\s+by|waits?\s+(?:for|on))\b|끝나야|끝난\s*(?:후|뒤|다음)|다음에|이후에/iu;

/** What a part of `text` leaves out of it: the words before it, or after it. */
function leftOut(text: string, part: string): string {
  const rest = text.endsWith(part) ? text.slice(0, text.length - part.length) : text.startsWith(part) ? text.slice(part.length) : '';
  return withoutFiller(rest.replace(/^[\s,;:.!?？。，–—-]+|[\s,;:.!?？。，–—-]+$/gu, ''));
}

function twoRequests(one: string, other: string): Parsed {
  return {
    kind: 'error',
    message: `This reads as two requests (${other} and ${one}); plain language runs one at a time, so neither was run.`,
    hint: 'Say them one after the other, or run each /flow command above.',
  };
}

/** Politeness and filler around a request ("please", "ok so", "can you", "thx"): not part of what is asked. */
function withoutFiller(text: string): string {
  let t = text.replace(/[.!]+$/, '').trim();
  for (let before = ''; before !== t; ) {
    before = t;
    t = t
      .replace(/^(?:please|pls|plz|kindly|ok(?:ay)?|hmm+|so|well|right|alright|hey|yo|oops|wait(?:,?\s*no)?|also|and|btw|actually|cool|great|now|then)\b[\s,.!:]*/i, '')
      .replace(/^(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?/i, '')
      .replace(/^(?:아|어|음|헐|잠깐|근데|그럼|아\s*맞다|오케이|좋아)(?:\s|[,.!]\s*)+/u, '')
      .replace(/\s*(?:ㅎ+|ㅋ+|ㅠ+|ㅜ+|\^\^|~+)$/u, '')
      // "찍어줄 수 있나요?", "해 주실 수 있을까요?": a polite request, read as "…줘"
      .replace(/\s*(?:줄|주실|주시겠)\s*수\s*(?:있(?:나요|어요|어|니|을까요?|습니까|으세요)|있겠(?:어요|습니까))\s*[?？]*$/u, '줘')
      .replace(/[\s,]*\b(?:please|pls|plz|thx|thanks|thank\s+you|ty)[.!]*$/i, '')
      .replace(/[.!]+$/, '')
      .trim();
  }
  return t;
}

/**
 * Most parts a line is read in: each is a pass over every pattern and every title in the project, so a
 * line of 150 commas must not be 300 of them (seconds, with thousands of tasks). The first and last few
 * cuts each way keep what people say: a request with a few clauses of context before or after it.
 */
export const MAX_PARTS = 8;

/** The request with its leading context dropped (each way), then with its trailing reason dropped. */
export function parts(text: string): string[] {
  const cut = /[,;:.!?？。，]\s+|\s+[-–—]\s+|[?？!。]/gu;
  const all: { start: number; end: number }[] = [];
  for (const m of text.matchAll(cut)) all.push({ start: m.index, end: m.index + m[0].length });
  const each = MAX_PARTS / 4;
  const at = all.length > 2 * each ? [...all.slice(0, each), ...all.slice(-each)] : all;
  const out: string[] = [];
  for (const a of at) out.push(text.slice(a.end).trim());
  for (const a of [...at].reverse()) out.push(text.slice(0, a.start).trim());
  return out.filter((x) => x.length >= 2);
}

// Verbs a request starts or turns on, for reading a slip of the keyboard: a word one letter added,
// dropped or swapped with its neighbour away from one of these is read as it ("finsh", "reopne").
// Never a different letter in place of one: "lost" is a word, not "list" mistyped.
const VERBS = ['add', 'create', 'finish', 'finished', 'complete', 'completed', 'reopen', 'rename', 'retitle', 'move', 'archive', 'restore', 'search', 'list', 'delete', 'remove', 'claim', 'release', 'start', 'block', 'blocked', 'cancel', 'review', 'show', 'snapshot', 'snapshots', 'undo', 'switch', 'unpin', 'prune', 'index', 'depend', 'depends', 'resume', 'status', 'next', 'tasks', 'task', 'plans', 'flows', 'done'];
function oneSlip(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const i = [...a].findIndex((c, k) => c !== b[k]);
    return i >= 0 && i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}
/** Says which words were read as which verbs, so a reading made from a slip is never silent. */
function slipNote(text: string, fixed: string): string {
  const was = text.split(/\s+/);
  const now = fixed.split(/\s+/);
  const pairs = was.flatMap((w, i) => (now[i] && now[i] !== w ? [`"${w}" as "${now[i]}"`] : []));
  return `Read ${pairs.join(', ')}.`;
}

function withVerbsFixed(text: string): string {
  let known: ((w: string) => boolean) | undefined;
  return text.replace(/[A-Za-z]{4,}/g, (w) => {
    const lower = w.toLowerCase();
    if (VERBS.includes(lower)) return w;
    const verb = VERBS.find((v) => v.length >= 4 && oneSlip(lower, v));
    if (!verb) return w;
    // A real word is not a slip ("flow" is not "flows" mistyped, "lost" not "list"): the offline
    // vectors' 34k words say which are words; loaded only when a word is one slip from a verb.
    known ??= knownWords();
    return known(lower) ? w : verb;
  });
}


/** One reading of `text` by the fixed patterns, then by the things it names; undefined when neither reads it. */
function readRequest(call: Call, text: string, restore: (s: string) => string, mixed: () => boolean, opts: { wholeQuotes?: boolean; titles?: Titles }): Parsed | undefined {
  const both = withDescription(call, text, restore, (t) => readRequest(call, t, restore, mixed, opts));
  if (both) return both;
  // A new task's prerequisite or priority said after its title ("…, it can't start until the refund flow
  // is done", "…, 우선순위 높음") is taken off before the patterns read the title.
  const tail = newTaskTail(call, text);
  const said = tail.text;
  const bare = said.replace(/[?？]+$/, '').trim();
  // Korean sentences are tried against the Korean patterns first: an English verb inside one
  // ("release 1.0 이라는 이름으로 고정 스냅샷") is a word of it, not its verb.
  // A pattern that fits the words but names nothing ("rename refund flow to …" read as a flow named
  // "refund") gives way to a later one for the same verb that names something ("rename … to …", a task);
  // its error is the answer when none does. Never to another verb: a looser "add task …" would take the
  // words a plan was not found in for the title.
  let unnamed: { error: Parsed; verb: string } | undefined;
  for (const p of /[\uac00-\ud7a3]/u.test(said) ? [...KO, ...EN] : [...EN, ...KO]) {
    const m = p.re.exec(p.re.source.includes('[?？]') ? said : bare);
    if (!m) continue;
    const made = p.make(m);
    if ('kind' in made) {
      if (made.kind === 'help') return { kind: 'help', text: helpText() };
      return made;
    }
    if (tail.text !== text && !(made.noun === 'task' && made.verb === 'add')) continue; // the tail belongs to a new task only
    if (unnamed && (made.verb !== unnamed.verb || made.verb === 'add')) continue;
    const d = def(made.noun, made.verb);
    if (!d) continue;
    const positionals = (made.positionals ?? []).map(restore).filter((x) => x !== '');
    const flags = Object.fromEntries(Object.entries({ ...tail.flags, ...made.flags }).map(([k, v]) => [k, v === true ? v : restore(v)]));
    if (opts.wholeQuotes && mixed()) return undefined;
    const built = buildCommand(call, { def: d, positionals, flags }, 'plain language');
    // After a name that was not found, a later pattern reads the noun word into the name: it must then be
    // a whole title ("refund flow"), not one it only comes near ("delete the refund plan" is no delete of
    // the task Refund flow).
    if (unnamed && built.kind === 'run' && !(positionals[0] !== undefined && namesOnly(call, positionals[0], opts.titles))) continue;
    // A pattern that fit the words but took an aside for part of a name ("reopen the login page task,
    // the bug came back"): the things the sentence names decide, when they make one reading.
    if (built.kind === 'error' && built.code === 'not_found') {
      // (Not for a new task whose prerequisite was not found: "add a task X, blocked by legal review" is no
      // list of the blocked tasks.)
      const named = tail.flags.depends_on === undefined ? byNames(call, text, opts) : undefined;
      if (named) return named;
      unnamed ??= { error: built, verb: made.verb };
      continue;
    }
    // A name it fit only in part ("delete account blocked" read as a delete of "account blocked"): the
    // things the sentence names whole decide, when they make one reading ("Delete account" is blocked).
    if (built.kind === 'choose' && built.partial) return byNames(call, text, opts) ?? built;
    // "make X wait for Y and Z": the pattern reads one name after "for"; the names the sentence holds
    // say there are two.
    if (built.kind === 'run' && (made.verb === 'depend' || made.verb === 'undepend')) {
      const all = byNames(call, text, opts);
      if (all?.kind === 'run' && all.command.args.action === built.command.args.action && [all.command.args.depends_on].flat().length > [built.command.args.depends_on].flat().length) return all;
    }
    return built;
  }
  return unnamed?.error ?? byNames(call, text, opts);
}

// A description said as a second change of a task ("set priority high and description '…'", "우선순위
// 높음으로 하고 설명은 '…'로 바꿔줘"): the first change was read and the description dropped in silence.
const AND_DESCRIPTION: { re: RegExp; verb: string }[] = [
  { re: /(?:,\s*|\s+)and\s+(?:set\s+|change\s+|update\s+)?(?:the\s+|its\s+)?description\s*(?:to|as|:|=)?\s*(\S.*)$/i, verb: '' },
  { re: /\s*하고\s*설명\s*(?:은|는|을|를)?\s*(\S.*?)\s*(?:이?라고|으로|로)?\s*(?:바꿔|변경|수정|해|적어)\s*(?:줘|주세요)?$/u, verb: ' 바꿔줘' },
];

/** The edit of a task with its description said after another change, or undefined. */
function withDescription(call: Call, text: string, restore: (s: string) => string, read: (t: string) => Parsed | undefined): Parsed | undefined {
  for (const { re, verb } of AND_DESCRIPTION) {
    const m = re.exec(text);
    if (!m || m.index === 0) continue;
    const first = read(text.slice(0, m.index).trim() + verb);
    if (first?.kind !== 'run' || first.command.tool !== 'task' || first.command.args.action !== 'update' || first.command.args.description !== undefined) continue;
    const a = first.command.args;
    const flags = Object.fromEntries(Object.entries({ priority: a.priority, title: a.title, description: restore(m[1]!.trim()) }).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return buildCommand(call, { def: def('task', 'edit'), positionals: [String(a.id)], flags }, 'plain language');
  }
  return undefined;
}

const ADD_START = /^(?:add|create|new|make|we\s+need|i\s+need)\b|(?:추가|만들어|생성)|^새(?:로운)?\s*(?:태스크|작업|할\s*일)\s*[:：]/iu;
const EN_PREREQUISITE = /(?:[,;.]\s*(?:and\s+)?(?:it\s+|which\s+|this\s+)?|\s+(?:and\s+)?(?:it|which|that)\s+)(?:depends\s+on|can'?t\s+start\s+until|cannot\s+start\s+until|has\s+to\s+wait\s+for|must\s+wait\s+for|waits?\s+for|needs|comes?\s+after|(?:is\s+)?blocked\s+by|can\s+only\s+(?:start|begin|happen)\s+(?:after|once|when)|(?:should|must|has\s+to)\s+(?:come|start|begin)\s+after|only\s+after|after)\s+(?:the\s+)?(.+?)(?:\s+(?:is|are)\s+(?:done|finished|complete|merged))?$/i;
const KO_PREREQUISITE = /[,，.]\s*(.+?)\s*(?:이|가|은|는)?\s*(?:끝나야|끝난\s*(?:후|뒤)에?|다음에|이후에|완료되어야|완료돼야)(?:\s*(?:할\s*수\s*있어|시작\s*가능|시작|진행|가능))?\s*$/u;
const KO_PRIORITY_TAIL = /[,，]?\s*우선\s*순위\s*(?:는|은)?\s*[:：]?\s*(높음|높게|낮음|낮게|보통|중간|긴급|low|medium|normal|high|urgent)\s*$/iu;
const KO_DESCRIPTION_TAIL = /\s*(?:하고|,|，)?\s*설명(?:은|는|:)\s*(.+?)\s*(?:으로|로)?\s*(?:해\s*줘|해\s*주세요|해|적어\s*줘)?$/u;
const KO_PREREQUISITE_HEAD = /^(.+?)\s*(?:이|가)?\s*(?:(?:끝나야|끝난\s*(?:다음에|후에|뒤에))\s*할\s*수\s*있는|(?:끝나고|끝나면|끝난\s*(?:다음에|후에|뒤에)|다음에|이후에)\s*(?:해야\s*(?:할|하는)|할)\s*(?:거로|것으로|일로|거|것|일)?)\s+/u;
const KO_PRIORITY_BEFORE_VERB = /\s(긴급|급한|높은|낮은|보통)\s*(?:우선\s*순위)?\s*(?:으로|로)\s*(?=(?:추가|만들어|생성))/u;
const KO_PRIORITY_HEAD = /^(긴급|급한|높은|낮은|보통)\s*(?:우선\s*순위)?\s*(?:으로|로)?\s+/u;

const EN_PRIORITY_TAIL = /(?:[,;]\s*|\s+)(?:(?:with|at|as)\s+)?(?:an?\s+)?(low|medium|normal|high|urgent)(?:[-\s]+(?:priority|prio))?(?:\s+(?:since|because|as)\s+.+)?$|(?:[,;]\s*|\s+)(?:with\s+)?(?:priority|prio)\s*[:=]?\s*(low|medium|normal|high|urgent)$/i;
const EN_PLAN_TAIL = /^(.*)(?:[,;]\s*|\s+)(?:in|into|to|under|for|on)\s+(?:the\s+)?(.+?)(?:\s+plan)?$/i;
const DEP_THEN_TAIL = /^(.+?)([,;]\s*(?:(?:in|into|under|for|on)\s+\S.*|(?:(?:with|at|as)\s+)?(?:an?\s+)?(?:low|medium|normal|high|urgent)[-\s]+(?:priority|prio)\b.*|(?:with\s+)?(?:priority|prio)\b.*|(?:with\s+(?:the\s+)?|and\s+)?description\b.*))$/i;
const EN_DESCRIPTION_TAIL = /(?:[,;]\s*|\s+)(?:with\s+(?:the\s+)?|and\s+)?description\s*(?::|=|\bof\b|\bsaying\b)?\s*(.+)$/i;

/**
 * A new task's prerequisite, plan, priority and description said around its title ("add a task to retry
 * failed webhooks, high priority, in Payments"), taken off the text so the patterns read the title alone.
 * A plan is taken only when the words name one.
 */
function newTaskTail(call: Call, text: string): { text: string; flags: Record<string, string> } {
  if (!ADD_START.test(text)) return { text, flags: {} };
  const flags: Record<string, string> = {};
  let t = text;
  const dep = EN_PREREQUISITE.exec(t) ?? KO_PREREQUISITE.exec(t);
  if (dep && dep.index > 0) {
    // A plan, priority or description said after the prerequisite ("…, after the refund flow, in Payments")
    // is left for the passes below: read as a second prerequisite, "in payments" had come near "Login page".
    const more = DEP_THEN_TAIL.exec(dep[1]!);
    flags.depends_on = (more ? more[1]! : dep[1]!).replace(/\s*(?:task|작업|태스크)$/iu, '').trim();
    t = (t.slice(0, dep.index) + (more ? more[2]! : '')).trim();
  }
  // The English modifiers in any order: each pass takes one off the end.
  for (let before = ''; before !== t; ) {
    before = t;
    const desc = EN_DESCRIPTION_TAIL.exec(t);
    if (desc && desc.index > 0 && !flags.description) {
      flags.description = desc[1]!.trim();
      t = t.slice(0, desc.index).trim();
      continue;
    }
    const level = EN_PRIORITY_TAIL.exec(t);
    if (level && level.index > 0 && !flags.priority && /(?:priority|prio|[,;])/i.test(level[0])) {
      flags.priority = priorityWord((level[1] ?? level[2])!);
      t = t.slice(0, level.index).trim();
      continue;
    }
    // The last "in/to X" only (the lead is greedy): "add a task to retry …, in Payments".
    const plan = EN_PLAN_TAIL.exec(t);
    // Not after an unclosed quote: `add a task "mark old tasks done to SEO` meant it all as the title.
    if (plan && plan[1]!.trim() && !flags.plan && !/["“”]/.test(t) && resolveName(call, 'plan', plan[2]!).ok) {
      flags.plan = plan[2]!.trim();
      t = plan[1]!.trim().replace(/[,;]$/, '');
    }
  }
  const koDesc = KO_DESCRIPTION_TAIL.exec(t);
  if (koDesc && koDesc.index > 0) {
    flags.description = koDesc[1]!.trim();
    t = t.slice(0, koDesc.index).trim();
  }
  const koDep = KO_PREREQUISITE_HEAD.exec(t);
  if (koDep && !flags.depends_on) {
    flags.depends_on = koDep[1]!.trim();
    t = t.slice(koDep[0].length).trim();
  }
  const koLevel = KO_PRIORITY_BEFORE_VERB.exec(t);
  if (koLevel && !flags.priority) {
    flags.priority = priorityWord(koLevel[1]!);
    t = (t.slice(0, koLevel.index) + ' ' + t.slice(koLevel.index + koLevel[0].length)).replace(/\s+/g, ' ').trim();
  }
  const tailLevel = KO_PRIORITY_TAIL.exec(t);
  if (tailLevel && tailLevel.index > 0) {
    flags.priority = priorityWord(tailLevel[1]!);
    t = t.slice(0, tailLevel.index).trim();
  }
  const headLevel = KO_PRIORITY_HEAD.exec(t);
  if (headLevel) {
    flags.priority = priorityWord(headLevel[1]!);
    t = t.slice(headLevel[0].length).trim();
  }
  return { text: t, flags };
}

function byNames(call: Call, text: string, opts: { wholeQuotes?: boolean; titles?: Titles }): Parsed | undefined {
  if (opts.wholeQuotes) return undefined;
  const intent = readByNames(call, text, opts.titles);
  const d = intent && def(intent.noun, intent.verb);
  if (!intent || !d) return undefined;
  const built = buildCommand(call, { def: d, positionals: intent.positionals ?? [], flags: intent.flags ?? {} }, 'plain language');
  return built.kind === 'run' ? built : undefined;
}

/**
 * Replaces each quoted span with a placeholder; `restore` gives a span's text back: a part that is
 * one quoted span alone becomes its inner text verbatim, and a span inside other words keeps its marks
 * (add a task fix the "login" bug → fix the "login" bug).
 */
function protectQuotes(text: string): { text: string; restore: (s: string) => string; /** A span came back inside other words. */ mixed: () => boolean } {
  // Text that holds the placeholder marks itself is read as it is (no placeholder could be told apart).
  const spans = text.includes(PH_OPEN) || text.includes(PH_CLOSE) ? [] : quotedSpans(text);
  if (spans.length === 0) return { text, restore: (s) => s, mixed: () => false };
  let out = '';
  let at = 0;
  spans.forEach((q, i) => {
    out += text.slice(at, q.start) + PH_OPEN + i + PH_CLOSE;
    at = q.end;
  });
  out += text.slice(at);
  const whole = new RegExp(`^${PH_OPEN}(\\d+)${PH_CLOSE}$`);
  const any = new RegExp(`${PH_OPEN}(\\d+)${PH_CLOSE}`, 'g');
  let inside = false;
  const restore = (s: string) => {
    const w = whole.exec(s.trim());
    if (w) return spans[Number(w[1])]!.inner;
    return s.replace(any, (_, n: string) => {
      inside = true;
      return text.slice(spans[Number(n)]!.start, spans[Number(n)]!.end);
    });
  };
  return { text: out, restore, mixed: () => inside };
}

// Words that take back what was just asked, after a break in the sentence (a comma, a stop, a question
// mark, a dash; in Korean "아니 잠깐" needs none), then at most "keep it" or "leave it as it is".
const TAKEN_BACK =
  /(?:[,.;!?—–]|\s-)\s*(?:no,?\s+wait|wait,?\s+no|never\s*mind|nevermind|scratch\s+that)(?:[\s,.;:!?-]|\b(?:keep|leave)\s+(?:it|them|that)(?:\s+as\s+(?:it|they)\s+(?:is|are|was|were))?\b|\b(?:do\s+nothing|for\s+now|(?:undo|cancel|forget)\s+(?:that|it|this))\b)*$|\s아니\s*잠깐(?:[\s,.!?]|그대로\s*(?:둬|두세요)?|그냥\s*둬)*$|[?？]\s*(?:no|nope|nah|아니(?:요)?|아뇨)[\s.!]*$/iu;
/** A label that keeps the text after it ("decision: …", "다음 단계: …"): its words are not a request. */
const KEPT_TEXT = /^[^:：]{1,40}[:：]/u;

/** The words that took the request back, when it ends with them. */
function takenBackAtEnd(text: string): string | undefined {
  if (KEPT_TEXT.test(text)) return undefined;
  const m = TAKEN_BACK.exec(text);
  if (!m || !text.slice(0, m.index).replace(/[\s,.;:!?-]+/g, '')) return undefined;
  return m[0].replace(/^[\s,.;!?—–-]+/, '').trim();
}

function takenBack(words: string): Parsed {
  return {
    kind: 'error',
    message: `That was taken back ("${words}"), so nothing was done.`,
    hint: 'Say only what you want done, on its own; /flow help lists the forms.',
  };
}

function tooLong(chars: number): Parsed {
  return {
    kind: 'error',
    message: `Plain-language requests are read up to ${MAX_PLAIN_CHARS} characters; this one has ${count(chars)}.`,
    hint: 'Use the /flow grammar (quote long titles), e.g. /flow add task "…" --priority high; /flow help lists the forms.',
  };
}
