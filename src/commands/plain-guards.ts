// Requests that are never run as read, whatever the patterns made of them. Plain language changes one
// named thing, now, when it is asked plainly; two red-team passes found that a pattern reader acts on
// the title and the verb it finds in a sentence that asks something else: a change of many things
// ("cancel every thing but billing" cancelled Billing), one for later or under a condition ("start billing
// after the deploy"), one hedged, asked as a question, reported from someone else, said not to be done or
// said to have been a mistake ("maybe cancel billing", "cancel billing?", "Bob said cancel billing",
// "결제 모듈 취소하지 마", "someone marked billing done by mistake"). No list of phrasings can foresee them
// all, so these signals hold the change back and the answer gives the exact /flow command that would do
// it: one more step for a request that meant it, nothing lost for one that did not.
import type { Parsed } from './build.js';
import { PH_CLOSE, PH_OPEN } from './plain-words.js';

type Command = { tool: string; args: Record<string, unknown>; text: string };

// A change said of many things: a change verb before "everything" / "all" / "the rest" / "whatever" (typed
// any way: "every thing", "evrything", "al"), or such a word before "but" / "except". Not "all green on CI",
// "billing is done, the rest can wait": words about the state of other things, not what is changed.
const CHANGE_VERB = String.raw`(?:cancel|mark|close|delete|complete|finish|start|block|skip|drop|remove|archive|reopen|move|clear|make|set|claim|do|kill|nuke|wipe|pause|resume|release|prioriti[sz]e)`;
// "all" only as the whole of what is changed ("cancel all", "all but X", "all the tasks"), not "remove all the old code".
const ALL_SAID = String.raw`al+(?=\s*(?:$|[,.;!]|but\b|except\b|besides\b|save\b|(?:the\s+)?(?:tasks|items|todos|others|rest)\b|of\s+(?:them|these|those)\b|(?:done|finished|complete|cancell?ed|urgent)\s+(?:but|except)\b))`;
const MANY = String.raw`(?:everything|every\s*thing|everyone|every\s*(?:task|item|todo|one|other|single)s?|${ALL_SAID}|the\s+rest|rest|remaining|leftovers?|left\s*over|others|whatever|each)`;
const BULK_EN = new RegExp(
  [
    String.raw`\b${CHANGE_VERB}\s+(?:of\s+)?(?:all\s+)?(?:the\s+|of\s+the\s+)?${MANY}\b`,
    String.raw`\b${MANY}\s+(?:(?:the\s+)?(?:tasks?|items?|todos?|ones?)\s+)?(?:(?:done|finished|complete|cancell?ed|urgent)\s+)?(?:but|except|exept|excepting|besides|save|bar|minus|excluding|other\s+than|apart\s+from|aside\s+from)\b`,
    String.raw`\ball\s+(?:the\s+)?(?:tasks|plans|items|todos)\b|\bevery\s*(?:task|item|todo)s?\b|\beach\s+(?:task|item)\b`,
  ].join('|'),
  'iu',
);
// Korean: 나머지 / 전부 / 모두 / 다 before a change ("나머지 다 취소", "전부 취소"), not 다 as "completely" ("다 끝났어",
// "다 했음"), nor 전부 / 모두 right after a title ("결제 모듈 모두 완료": all of it) or as a subject ("나머지는 내일").
const KO_CHANGE = String.raw`(?:취소|완료(?:\s*(?:해|처리|로|시켜))?|삭제|지워|시작|닫아|보류|막아|처리|없애|정리|진행)`;
const BULK_KO = new RegExp(
  String.raw`(?<!§\s*)(?:나머지|전부|모두|모든|전체|몽땅|죄다|일괄|싹)(?:\s*(?:다|을|를|것|거|태스크|작업|일))*\s*${KO_CHANGE}|(?<!§\s*)(?:^|\s)다\s+${KO_CHANGE}|나머지\s*(?:전부|모두|다)`,
  'u',
);
/** "everything" mistyped ("evrything", "everthing", "eveything"): a word a letter or two from it. */
const nearEverything = (text: string) => (text.match(/\b[a-z]{7,12}\b/g) ?? []).some((w) => w !== 'everything' && w.startsWith('e') && editDistance(w, 'everything') <= 2);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

// Words that hold a change back, each with why (checked on the words beside the titles).
/** `notFor`: the changes (an action, or a status set) a hold does not apply to; `raw`: read on the text as typed (case kept, titles in). */
const HOLDS: { re: RegExp; why: (w: string) => string; notFor?: readonly string[]; raw?: boolean }[] = [
  // A question mark, unless it asks for the change politely ("can you move it there?", "바꿔줄래?").
  { re: /^(?!.*(?:\b(?:can|could|would|will)\s+(?:you|u)\b|(?:줄래|줄\s*수\s*있|주실\s*수|해\s*줘|주세요|줄래요|주실래요?|주시겠|주실래)\S*\s*[?？])).*[?？]/u, why: () => 'it is asked as a question' },
  {
    re: /\b(?:maybe|perhaps|probably|might|(?<!\b(?:you|u)\s)could(?!\s+(?:you|u)\b)|would\s+it|should\s+(?:i|we)|do\s+(?:you|we)\s+think|i\s+(?:think|guess|believe)|thoughts|any\s+reason|what\s+if|wonder(?:ing)?|considering|thinking\s+(?:of|about)|was\s+going\s+to|remind\s+me|not\s+sure|or\s+not)\b|할까|해야\s*하나|어때|아마|글쎄|고민|될까|말까|해야\s*할지/iu,
    why: (w) => `"${w}" leaves it undecided`,
  },
  {
    re: /\b(?:said|says|wants?\s+(?:us|me|you|them)\s+to|ask\s+\w+\s+to|tell\s+\w+\s+to|according\s+to|apparently)\b|하래|하라고|했대|했다고|라고\s*(?:했|하더|하던)|그러던데|하시래/iu,
    why: (w) => `"${w}" reports what someone else said`,
  },
  {
    re: /\b(?:eod|eow|tomorrow|tmrw|tmr|tonight|later|l8r|eventually|someday|next\s+(?:week|sprint|month|time|year|release)|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|in\s+\d+\s*(?:min|mins|minutes?|hours?|hrs?|h|days?|weeks?)|by\s+(?:eod|eow|end\s+of|tomorrow|friday)|this\s+(?:afternoon|evening|weekend)|(?:next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|in\s+(?:a|an|one|two|three|five|ten|a\s+few|few)\s+(?:mins?|minutes?|hours?|days?|weeks?)|(?<!as\s)soon|at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?)\b|내일|나중에|이따(?:가)?|다음\s*주|모레|주말에|언젠가|오후에|저녁에/iu,
    why: (w) => `"${w}" puts it later`,
  },
  // A request that corrects itself ("cancel billing, I mean refund work", "결제 모듈 취소, 아 아니 환불 테스트").
  { re: /\b(?:i\s+mean|i\s+meant|correction|scratch\s+that|oh\s+wait|wait,?\s+no|or\s+rather|sorry,?\s+i\s+meant)\b|\bno\s*[—–]|\bno\s+-\s|(?:^|[\s,.…])(?:아\s*)?아니(?:\s|[,.…]|$)|아\s*아니|정정/iu, why: (w) => `"${w}" corrects it` },
  // Said in jest, taken back in brackets, or not quite so ("lol jk", "(not really)", "almost done", "거의 완료").
  { re: /\b(?:jk|j\/k|just\s+kidding|kidding|lol|lmao|not\s+really)\b|[,.]\s*not\s*[.!]*$|농담/iu, why: (w) => `"${w.replace(/^[,.]\s*/u, '')}" takes it back` },
  { re: /\bNOT\b/u, why: () => '"NOT" takes it back', raw: true },
  {
    re: /\b(?:almost|nearly|mostly|partly|partially|halfway|half(?=\s+(?:done|finished|complete|way))|far\s+from|not\s+(?:quite|yet|fully)|(?:kind|sort)\s+of(?=\s+(?:done|finished|complete|started))|\w+-ish|ish)\b|\b\d{1,2}\s*%(?=\s*(?:done|complete|finished|there|through|완료))|거의|반쯤|아직\s*(?:안|못)|직전|아님|아니야/iu,
    why: (w) => `"${w}" says it is not quite so`,
  },
  // A request quoted from somewhere else ("> cancel billing", "Jane: billing done", "… was finished by Bob").
  { re: /^\s*>|^\s*(?!(?:Note|Fyi|FYI|Todo|TODO|Update|Status|Done|Re|Ps|PS|Edit|Urgent|Reminder|Important|Question|Context|Summary|Heads|Followup|Blocker|Priority)\b)[A-Z][a-z]+\s*:\s|\b(?:was|were|got|been)\s+\w+(?:ed|en)\s+by\s+[A-Z]/u, why: () => 'it is quoted or reported from someone else', raw: true },
  // "I'll finish billing": a plan, not a report; "I'll take X" claims it now.
  { re: /\b(?:i'll|we'll|i\s+will|we\s+will|will\s+be)\b/iu, why: (w) => `"${w}" puts it later`, notFor: ['claim'] },
  {
    re: /\b(?:by\s+mistake|mistakenly|accidentally|by\s+accident|wrongly|in\s+error)\b|실수로|잘못\s*(?:눌|표시|처리|해)/iu,
    why: (w) => `"${w}" says something was done wrong`,
    // "undo marking X done, I clicked it by accident": putting it back is what was asked.
    notFor: ['todo'],
  },
];

// A condition or a time ("after", "once", "if", "완료하면", "전에"): the change waits for something. Not for
// a dependency (that is what it says), nor "block X until …", nor "…하면 돼" ("just do…").
const CONDITION = /\b(?:after(?!\s+(?:all|a\s+long|so\s+long|\w+\s+(?:weeks?|days?|hours?|months?|tries|attempts))\b)|before(?!\s+(?:(?:the|my|our)\s+)?(?:standup|stand-up|lunch|noon|meeting|demo|call|weekend|eod|end\s+of|i\s+forget|\d))|until|till|once(?!\s+more\b)|as\s+soon\s+as|whenever|unless|provided|if|in\s+case|when(?!\s+(?:you|u)\s+(?:get|have|can)\b)(?!\s+possible\b))\b|(?:완료|끝나|끝내|마치|되|하|으)면(?!\s*(?:돼|되|될))(?=\s|[,.]|$)|(?:완료해|완료돼|끝나)야(?=\s|$)|(?<!(?:점심|회의|미팅|퇴근|데모|스탠드업)\S*\s*)(?:하기\s*)?전에(?=\s|$)|(?:다음|후|뒤|이후)에(?=\s|$)|(?:하고|고)\s*나서|(?:끝나|마치|끝내)고(?=\s|$)|먹고(?=\s|$)/iu;
const ID_SHAPED = /\b[tpfs]-[a-z0-9]{3,12}\b/gu;

// A verb said not to be done ("don't cancel", "nobody cancel", "haven't finished", "취소하지 마", "안 끝났어"),
// by the words of the change read.
const VERB_WORDS: Record<string, { en: string; ko: string }> = {
  cancelled: { en: 'cancel(?:l?ed)?|drop(?:ped)?|skip(?:ped)?|kill(?:ed)?', ko: '취소|드랍|스킵' },
  done: { en: 'finish(?:ed)?|done|complete(?:d)?|mark(?:ed)?|close(?:d)?', ko: '완료|끝|마무리|마쳤|마치' },
  in_progress: { en: 'start(?:ed)?|begin|began|begun|kick(?:ed)?|work(?:ed|ing)?\\s+on', ko: '시작|진행|착수' },
  blocked: { en: 'block(?:ed)?|hold|stuck|paused?', ko: '블록|보류|막' },
  review: { en: 'review(?:ed)?', ko: '리뷰|검토' },
  todo: { en: 'reopen(?:ed)?|open', ko: '다시\\s*열|재오픈|리오픈' },
  delete: { en: 'delete(?:d)?|remove(?:d)?', ko: '삭제|지워|지우' },
  depend: { en: 'depend(?:s)?|wait(?:s)?|need(?:s)?|block(?:s|ed)?', ko: '의존|기다' },
  claim: { en: 'claim(?:ed)?|take|grab|pick', ko: '맡|가져|잡' },
};
function verbsOf(command: Command): { en: string; ko: string } | undefined {
  const a = command.args;
  const key = a.action === 'set_status' ? String(a.status) : String(a.action);
  return VERB_WORDS[key];
}
function negated(text: string, command: Command): string | undefined {
  const v = verbsOf(command);
  if (!v) return undefined;
  const en = new RegExp(String.raw`\b(?:don'?t|dont|do\s+not|never|nobody|no\s+one|haven'?t|hasn'?t|hadn'?t|didn'?t|shouldn'?t|won'?t|not|isn'?t|aren'?t|wasn'?t|no\s+need\s+to|needn'?t|no\s+reason\s+to|pointless\s+to|hold\s+off\s+on|un-)(?:\b|(?<=-))\s*(?:\w+\s+){0,2}?(?:${v.en})|(?:${v.en})\w*\s+(?:is\s+)?(?:forbidden|not\s+needed|not\s+allowed|on\s+hold)\b`, 'iu').exec(text);
  if (en) return en[0];
  const ko = new RegExp(String.raw`(?:${v.ko})\S{0,6}\s*(?:하지|지)\s*(?:마|말|않)|(?:^|\s)(?:안|못)\s*(?:${v.ko})|(?:${v.ko})\S{0,6}\s*(?:할\s*필요\s*없|필요\s*없|안\s*해도|금지|ㄴㄴ|는\s*보류|은\s*보류)|취소\s*(?:를|을)?\s*취소`, 'u').exec(text);
  return ko?.[0];
}

// A word that spares something ("except", "besides", "빼고", "두고"): fine when a whole title stands beside it
// (the request's own reading knows what is spared), held back when what it spares is not a title here.
const SPARE_EN = /\b(?:except|exept|excepting|excluding|besides|other\s+than|apart\s+from|aside\s+from|save\s+for|minus|but\s+not|but\s+(?:keep|leave)(?!\s+(?:it|them|that)\b)|everything\s+but|all\s+but)\b(\s+(?:for\s+)?(?:the\s+|my\s+|our\s+)?§)?/giu;
const SPARE_KO = /(§\s*(?:이랑|랑|하고|와|과|은|는|을|를|이|가|만|만은)?\s*)?(?:빼고|빼놓고|뺀|제외|외에|이외|두고|남기고|놔두고)/gu;

const THEN_ANOTHER = /\b(?:then|and\s+then|after\s+that)\s+(?:the\s+|do\s+|start\s+|work\s+on\s+)?§|그\s*다음(?:에)?\s+§/u;
// Words said to be spared, without a whole title ("keep the redesign", "not the redesign").
const SPARED = /\b(?:keep|leave|spare|except(?:\s+for)?|excluding|but\s+not|not|without|aside\s+from|other\s+than|apart\s+from|don'?t\s+touch)\s+([^,;.!?§]+)/gu;
const KEPT_IN_STATE = /\b(?:on\s+hold|blocked|paused|in\s+review|in\s+progress|open|going|priority|urgent)\b/u;
const STOP_WORDS = new Set(['that', 'this', 'with', 'from', 'have', 'they', 'them', 'then', 'when', 'will', 'work', 'task', 'done', 'page', 'into', 'your', 'just', 'about', 'after', 'before']);
const wordsOf = (s: string) => (s.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP_WORDS.has(w));

/** A clause whose subject is the other things: "the rest can wait", "everything else is on hold", "나머지는 내일". */
const OTHERS = /\b(?:everything\s+else|the\s+rest|rest\s+of\s+(?:them|it|the\s+\w+)|all\s+the\s+others|the\s+others|everyone\s+else|anything\s+else)\b|나머지\s*(?:는|은|도)/iu;

/** Words that add a second thing to a change: "too", "also", "and", "+", a list. */
const ALSO = /\b(?:too|also|as\s+well|both|and|same\s+for|plus)\b|[+&/]|(?:^|\n)\s*[-*]\s/iu;

const marked = (besideNames: string) => besideNames.replace(new RegExp(`${PH_OPEN}\\d+${PH_CLOSE}`, 'gu'), ' § ');

/** The refusal for a change said of many things at once ("cancel everything but X", "나머지 다 취소"); undefined when it names none. */
export function manyAtOnce(besideNames: string, noun = 'task'): Parsed | undefined {
  const text = marked(besideNames);
  const bulk = BULK_EN.exec(text)?.[0] ?? BULK_KO.exec(text)?.[0] ?? (nearEverything(text) ? 'everything' : undefined);
  if (!bulk) return undefined;
  return {
    kind: 'error',
    message: `"${bulk.trim()}" asks to change many things at once; plain language changes one named ${noun} a time, so nothing was done.`,
    hint: `Name the one ${noun} to change by its id or whole title (/flow list ${noun}s shows them), one request each.`,
  };
}

/** The answer for a change held back: why, and the exact command that makes it. */
const held = (why: string, command: Command): Parsed => ({
  kind: 'error',
  message: `This reads as ${command.text}, but ${why}, so nothing was done.`,
  hint: `To make that change now, send exactly: ${command.text}`,
});

/**
 * The refusal for a change that is not asked plainly (see the header); undefined when the change may run.
 * `besideNames`: the request with every title said in it (and every quoted span) marked §, so a title's
 * own words ("Log all errors", "After-sales page") ask nothing; `raw`, the request as typed. `taskTitles`: the
 * current flow's tasks; `named`: the tasks it names by whole title, not set aside.
 */
export function unsafeChange(
  command: Command,
  raw: string,
  besideNames: string,
  taskTitles: readonly { id: string; name: string }[],
  named: readonly string[],
): Parsed | undefined {
  // A change of words (a rename, a description) keeps its words as said: they may hold any of these.
  if ((command.tool !== 'task' && command.tool !== 'plan') || 'title' in command.args) return undefined;
  const whole = marked(besideNames);
  // A clause about the other things ("everything else is on hold", "나머지는 내일") says nothing of this
  // change, unless the change's own status came from it.
  const others = whole.split(/[,;.:]|\s[—–-]+\s|\s(?=but\s)/u).filter((c) => OTHERS.test(c));
  const statusWords = verbsOf(command);
  const borrowed = others.find((c) => statusWords && new RegExp(`\\b(?:${statusWords.en})\\b|${statusWords.ko}`, 'iu').test(c));
  if (borrowed) return held(`"${borrowed.trim()}" says it of the other things`, command);
  const text = others.reduce((t, c) => t.replace(c, ' '), whole);
  // As typed, but a leading "Title:" that names a task here is no speaker ("Billing: done").
  const rawSeen = text.trimStart().startsWith('§') ? raw.replace(/^\s*[^:]+:/u, '') : raw;
  const action = String(command.args.action);
  const change = action === 'set_status' ? String(command.args.status) : action;
  for (const h of HOLDS) {
    if (h.notFor?.includes(action) || h.notFor?.includes(change)) continue;
    const m = h.re.exec(h.raw ? rawSeen : text);
    if (m) return held(h.why(m[0].trim()), command);
  }
  if (action === 'undepend') return undefined;
  // "billing cancellation is on hold", "hold off on cancelling billing", "결제 모듈 취소는 보류": the hold is of
  // another change, not a block of the task.
  const otherChange = change === 'blocked' ? /\b(?:cancell?(?:ing|ation)|finishing|completion|completing|deleting|deletion|starting|closing)\b|(?:취소|완료|삭제|시작)(?:는|은)?\s*보류/iu.exec(text) : null;
  if (otherChange) return held(`"${otherChange[0]}" is put on hold, not the task`, command);
  const not = negated(text, command);
  if (not) return held(`"${not}" says not to`, command);
  if (action === 'depend') return undefined;
  // A claim of whatever is next names no thing to spare or wait for.
  const target = command.args.id;
  if (typeof target !== 'string') return undefined;
  const bulk = manyAtOnce(besideNames, command.tool);
  if (bulk) return bulk;
  // The tasks the request names by whole title (not set aside) must be the one it changes: "cancel login
  // page and its redesign" read as the redesign; "billing done, refund work too" changed Billing only.
  if (command.tool === 'task' && named.length && (named[0] !== target || (named.length > 1 && ALSO.test(raw)))) {
    const others = named.filter((n) => n !== target);
    const title = (id: string) => taskTitles.find((t) => t.id === id)?.name ?? id;
    return held(`it names ${others.map((o) => `"${title(o)}"`).join(', ')} too`, command);
  }
  const blockUntil = command.args.status === 'blocked';
  const condition = CONDITION.exec(blockUntil ? text.replace(/\b(?:until|till)\b/giu, ' ') : text);
  // An id of another task here, or one shaped like an id (a digit in it), named beside the change.
  const ids = new Set(taskTitles.map((t) => t.id));
  const otherId = (text.match(ID_SHAPED) ?? []).some((w) => w !== target && (ids.has(w) || /\d/u.test(w)));
  if (condition || otherId) return held(condition ? `"${condition[0].trim()}" makes it wait for something` : 'it names another id', command);
  for (const m of text.matchAll(SPARE_EN)) if (!m[1]) return held(`"${m[0].trim()}" spares something that is not a title here`, command);
  for (const m of text.matchAll(SPARE_KO)) if (!m[1]) return held(`"${m[0].trim()}" spares something that is not a title here`, command);
  // "start X, then Y": a second thing, with no verb of its own, would be dropped in silence.
  if ((text.match(/§/g) ?? []).length >= 2 && THEN_ANOTHER.test(text)) {
    return { kind: 'error', message: 'The request names a second thing after "then"; plain language makes one change a request, so nothing was done.', hint: 'Say each change on its own, one request each.' };
  }
  // "finish the login page, keep the redesign": the words spared are part of the title read.
  const title = taskTitles.find((t) => t.id === target)?.name ?? '';
  const own = new Set(wordsOf(title));
  for (const m of text.matchAll(SPARED)) {
    const clause = m[1] ?? '';
    if (KEPT_IN_STATE.test(clause) || !wordsOf(clause).some((w) => own.has(w))) continue;
    return held(`it spares "${clause.trim()}", words of the title of ${target} ("${title}")`, command);
  }
  return undefined;
}
