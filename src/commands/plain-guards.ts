// Requests that are never run as read, whatever the patterns made of them: a change said of many things
// at once ("cancel everything but billing", "나머지 다 취소"), and a change said for later or under a
// condition ("start the login page after the stripe hook", "결제 모듈 완료하면 환불 테스트 시작해").
// Plain language changes one named thing now; read any other way, the patterns act on a thing the
// sentence names only to spare it or to wait for it, in wordings no list of phrases can all foresee
// (the red-team pass found a dozen). Refusing says what to say instead and changes nothing.
import type { Parsed } from './build.js';
import { PH_CLOSE, PH_OPEN } from './plain-words.js';

type Command = { tool: string; args: Record<string, unknown> };

// "everything" / "every task" / "the rest" / "cancel all" / "all but X": a change said of many things.
// Not "all green on CI", "that's all", "everything passes": words about the state of things, not a target.
const BULK_EN = new RegExp(
  [
    String.raw`\beverything\b(?!\s+(?:is|was|passe[sd]|works?|worked|looks|seems|went|checks?\s+out|'s)\b)`,
    String.raw`\bevery\s*(?:task|item|todo|one|other|single)s?\b`,
    String.raw`\b(?:cancel|mark|close|delete|complete|finish|start|block|skip|drop|remove|archive|reopen|move|clear)\s+(?:of\s+)?all\b`,
    String.raw`\ball\s+(?:the\s+)?(?:tasks|plans|items|todos|others|of\s+(?:them|these|those|the|it))\b`,
    String.raw`\ball\s+(?:(?:done|finished|complete|cancell?ed)\s+)?(?:but|except|save)\b`,
    String.raw`\bthe\s+rest\b|\brest\s+of\b|\b(?:remaining|other)\s+(?:tasks|ones|items|todos)\b|\bwhatever\b|\beach\s+(?:task|one|item|of)\b`,
  ].join('|'),
  'iu',
);
// 나머지 / 전부 / 모두 / 모든 … and 다 before a change ("다 취소해줘"), not 다 as "completely" ("다 끝났어", "다 했음").
const BULK_KO = /나머지|(?:^|\s)(?:전부|모두|모든|전체|몽땅|죄다|일괄)(?:를|을|다)?(?=\s|$)|(?:^|\s)(?:싹\s*)?다\s+(?:취소|완료\s*(?:해|처리|로)|삭제|지워|시작|닫아|보류|막아|처리|없애|정리)/u;

// A condition or a time ("after", "once", "if", "완료하면", "전에"). Said as a reason or a time of day ("an hour
// before standup", "block X until they publish the schema") it changes nothing; it holds a change back
// when what it waits for looks like work here: a title, an id, work said to be done, or a word of a task's title.
const CONDITION_EN = /\b(?:after(?!\s+all\b)|before|until|till|once(?!\s+more\b)|as\s+soon\s+as|whenever|unless|provided|if|in\s+case|when)\b/giu;
const CONDITION_KO = /(?:완료|끝나|끝내|마치|되|하)면(?=\s|[,.]|$)|(?:완료해|완료돼|끝나)야(?=\s|$)|(?:하기\s*)?전에(?=\s|$)|(?:다음|후|뒤|이후)에(?=\s|$)|(?:하고|고)\s*나서|(?:끝나|마치|끝내)고(?=\s|$)/gu;
const CLAUSE_STOP = /[,;.!?]|\s(?:and|but|so)\s/u;
const ID = /\b[tpfs]-[a-z0-9]{3,}\b/u;
const SAID_DONE = /\b(?:is|are|gets?|has\s+been|have\s+been|'s)\s+(?:done|finished|merged|complete(?:d)?|shipped|landed|fixed|ready|deployed|in)\b|\bwe\s+(?:finish|ship|merge|land|complete)\b|\b(?:finish|finishing|done\s+with)\s/u;
const STOP_WORDS = new Set(['that', 'this', 'with', 'from', 'have', 'they', 'them', 'then', 'when', 'will', 'work', 'task', 'done', 'page', 'into', 'your', 'just', 'about', 'after', 'before']);
const CONDITION_WORDS = new Set(['after', 'before', 'until', 'once', 'soon', 'whenever', 'unless', 'provided', 'case', 'when']);
const wordsOf = (s: string) => (s.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP_WORDS.has(w));

const THEN_ANOTHER = /\b(?:then|and\s+then|after\s+that)\s+(?:the\s+|do\s+|start\s+|work\s+on\s+)?§|그\s*다음(?:에)?\s+§/u;
// Words said to be spared, without a whole title ("keep the redesign", "not the redesign").
const SPARED = /\b(?:keep|leave|spare|except(?:\s+for)?|excluding|but\s+not|not|without|aside\s+from|other\s+than|apart\s+from|don'?t\s+touch)\s+([^,;.!?§]+)/gu;
const KEPT_IN_STATE = /\b(?:on\s+hold|blocked|paused|in\s+review|in\s+progress|open|going|priority|urgent)\b/u;

/** The words a condition says it waits for: to the clause's end in English, the clause before it in Korean. */
function conditions(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CONDITION_EN)) {
    const after = text.slice(m.index! + m[0].length);
    const stop = CLAUSE_STOP.exec(after);
    out.push(`${m[0]} ${after.slice(0, stop ? stop.index : after.length)}`);
  }
  for (const m of text.matchAll(CONDITION_KO)) {
    const before = text.slice(0, m.index!);
    const start = Math.max(before.lastIndexOf(','), before.lastIndexOf('.'), -1);
    out.push(`${before.slice(start + 1)}${m[0]}`);
  }
  return out;
}

const marked = (besideNames: string) => besideNames.replace(new RegExp(`${PH_OPEN}\\d+${PH_CLOSE}`, 'gu'), ' § ');

/** The refusal for a change said of many things at once ("cancel everything but X", "나머지 다 취소"); undefined when it names none. */
export function manyAtOnce(besideNames: string, noun = 'task'): Parsed | undefined {
  const text = marked(besideNames);
  const bulk = BULK_EN.exec(text) ?? BULK_KO.exec(text);
  if (!bulk) return undefined;
  return {
    kind: 'error',
    message: `"${bulk[0].trim()}" asks to change many things at once; plain language changes one named ${noun} a time, so nothing was done.`,
    hint: `Name the one ${noun} to change by its id or whole title (/flow list ${noun}s shows them), one request each.`,
  };
}

/**
 * The refusal for a change said of many things or for later; undefined when the change may run.
 * `besideNames`: the request with every title said in it (and every quoted span) marked §, so a title's
 * own words ("Log all errors", "After-sales page") ask nothing; `said`, the same words with the titles in,
 * for the message. `taskTitles`: the titles a condition's
 * words are checked against, the target's own left out.
 */
export function unsafeChange(command: Command, said: string, besideNames: string, taskTitles: readonly { id: string; name: string }[]): Parsed | undefined {
  // A claim of whatever is next, and a change of words (a rename, a description), name no thing to spare.
  if ((command.tool !== 'task' && command.tool !== 'plan') || typeof command.args.id !== 'string' || 'title' in command.args) return undefined;
  const bulk = manyAtOnce(besideNames, command.tool);
  if (bulk) return bulk;
  const text = marked(besideNames);
  const target = command.args.id;
  // "start X, then Y": a second thing, with no verb of its own, would be dropped in silence.
  if ((text.match(/§/g) ?? []).length >= 2 && THEN_ANOTHER.test(text)) {
    return {
      kind: 'error',
      message: 'The request names a second thing after "then"; plain language makes one change a request, so nothing was done.',
      hint: 'Say each change on its own, one request each.',
    };
  }
  // "finish the login page, keep the redesign": the words spared are part of the title read.
  const title = taskTitles.find((t) => t.id === target)?.name ?? '';
  const own = new Set(wordsOf(title));
  for (const m of text.matchAll(SPARED)) {
    const clause = m[1] ?? '';
    if (KEPT_IN_STATE.test(clause) || !wordsOf(clause).some((w) => own.has(w))) continue;
    return {
      kind: 'error',
      message: `The request spares "${clause.trim()}", and reads as changing ${target} ("${title}"), whose title holds those words; nothing was done.`,
      hint: 'Name the task to change by its id or whole title (/flow list tasks shows them).',
    };
  }
  const known = new Set(taskTitles.filter((t) => t.id !== target).flatMap((t) => wordsOf(t.name)));
  const clauses = conditions(text);
  const at = clauses.findIndex((c) => c.includes('§') || ID.test(c) || SAID_DONE.test(` ${c} `) || wordsOf(c).some((w) => known.has(w) && !CONDITION_WORDS.has(w)));
  if (at >= 0) {
    // Quoted as said (titles and all) when the request reads the same way with its titles in.
    const asSaid = conditions(said);
    const waitsFor = (asSaid.length === clauses.length ? asSaid : clauses)[at]!.replace(/§/g, '…');
    return {
      kind: 'error',
      message: `"${waitsFor.trim().replace(/\s+/g, ' ')}" reads as something this change waits for; flowmcp changes things now, so nothing was done.`,
      hint: 'Say the change alone to make it now ("start <task>"), or the order as a dependency: "<task> after <other task>" (/flow depend <task> <other task>).',
    };
  }
  return undefined;
}
