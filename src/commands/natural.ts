// Plain language, English and Korean, read by fixed patterns (deterministic: the same words always
// mean the same command). Each pattern names a grammar command and where its arguments are; names
// are then resolved exactly as in the grammar, so an ambiguous name lists candidates instead of
// guessing, and a destructive request is never run without an explicit confirmation.
import type { Call } from '../core/kernel/workspace.js';
import { helpText } from './grammar.js';
import { buildCommand, type Parsed } from './build.js';
import { count } from '../model/error-text.js';
import { quotedSpans } from './words.js';
import { def, PH_CLOSE, PH_OPEN } from './plain-words.js';
import { EN } from './plain-english.js';
import { KO } from './plain-korean.js';
import { readByNames } from './plain-intent.js';

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
export function parseNatural(call: Call, input: string, opts: { wholeQuotes?: boolean } = {}): Parsed | undefined {
  if (input.length > MAX_PLAIN_CHARS * 2) return tooLong(input.length);
  // Quoted spans first, before any pattern, trimming or stripping sees the text: each is a title.
  const { text: shielded, restore, mixed } = protectQuotes(input.trim());
  // "please" at either end is politeness, not part of what is asked ("snapshot please" is no label).
  const text = shielded
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s,]*\b(?:please|pls|plz)[.!]*$/i, '')
    .replace(/^(?:please|pls|plz|kindly)\b[\s,]*/i, '');
  const plainLength = text.length + input.trim().length - shielded.length; // as the person wrote it
  if (plainLength > MAX_PLAIN_CHARS) return tooLong(plainLength);
  // A new task's prerequisite or priority said after its title ("…, it can't start until the refund flow
  // is done", "…, 우선순위 높음") is taken off before the patterns read the title.
  const tail = newTaskTail(text);
  const said = tail.text;
  const bare = said.replace(/[?？]+$/, '').trim();
  for (const p of [...EN, ...KO]) {
    const m = p.re.exec(p.re.source.includes('[?？]') ? said : bare);
    if (!m) continue;
    const made = p.make(m);
    if ('kind' in made) {
      if (made.kind === 'help') return { kind: 'help', text: helpText() };
      return made;
    }
    if (tail.text !== text && !(made.noun === 'task' && made.verb === 'add')) continue; // the tail belongs to a new task only
    const d = def(made.noun, made.verb);
    if (!d) continue;
    const positionals = (made.positionals ?? []).map(restore).filter((x) => x !== '');
    const flags = Object.fromEntries(Object.entries({ ...tail.flags, ...made.flags }).map(([k, v]) => [k, v === true ? v : restore(v)]));
    if (opts.wholeQuotes && mixed()) return undefined;
    const built = buildCommand(call, { def: d, positionals, flags }, 'plain language');
    // A pattern that fit the words but took an aside for part of a name ("reopen the login page task,
    // the bug came back"): the things the sentence names decide, when they make one reading.
    if (built.kind === 'error' && built.code === 'not_found') return byNames(call, text, opts) ?? built;
    // "make X wait for Y and Z": the pattern reads one name after "for"; the names the sentence holds
    // say there are two.
    if (built.kind === 'run' && (made.verb === 'depend' || made.verb === 'undepend')) {
      const all = byNames(call, text, opts);
      if (all?.kind === 'run' && all.command.args.action === built.command.args.action && [all.command.args.depends_on].flat().length > [built.command.args.depends_on].flat().length) return all;
    }
    return built;
  }
  return byNames(call, text, opts);
}

const ADD_START = /^(?:add|create|new|make|we\s+need|i\s+need)\b|(?:추가|만들어|생성)/iu;
const EN_PREREQUISITE = /(?:[,;.]\s*(?:and\s+)?(?:it\s+|which\s+|this\s+)?|\s+(?:and\s+)?(?:it|which|that)\s+)(?:depends\s+on|can'?t\s+start\s+until|cannot\s+start\s+until|has\s+to\s+wait\s+for|must\s+wait\s+for|waits?\s+for|needs|comes?\s+after|is\s+blocked\s+by|after)\s+(?:the\s+)?(.+?)(?:\s+(?:is|are)\s+(?:done|finished|complete|merged))?$/i;
const KO_PREREQUISITE = /[,，.]\s*(.+?)\s*(?:이|가|은|는)?\s*(?:끝나야|끝난\s*(?:후|뒤)에?|다음에|이후에|완료되어야|완료돼야)(?:\s*(?:할\s*수\s*있어|시작\s*가능|시작|진행|가능))?\s*$/u;
const KO_PRIORITY_TAIL = /[,，]?\s*우선\s*순위\s*(?:는|은)?\s*[:：]?\s*(높음|높게|낮음|낮게|보통|중간|긴급)\s*$/u;
const KO_PRIORITY_HEAD = /^(긴급|급한|높은|낮은|보통)\s*(?:우선\s*순위)?\s*(?:으로|로)?\s+/u;
const KO_LEVEL: Record<string, string> = { 긴급: 'urgent', 급한: 'urgent', 높은: 'high', 높음: 'high', 높게: 'high', 낮은: 'low', 낮음: 'low', 낮게: 'low', 보통: 'medium', 중간: 'medium' };

/** A new task's prerequisite and (Korean) priority said around its title, taken off the text. */
function newTaskTail(text: string): { text: string; flags: Record<string, string> } {
  if (!ADD_START.test(text)) return { text, flags: {} };
  const flags: Record<string, string> = {};
  let t = text;
  const dep = EN_PREREQUISITE.exec(t) ?? KO_PREREQUISITE.exec(t);
  if (dep && dep.index > 0) {
    flags.depends_on = dep[1]!.replace(/\s*(?:task|작업|태스크)$/iu, '').trim();
    t = t.slice(0, dep.index).trim();
  }
  const tailLevel = KO_PRIORITY_TAIL.exec(t);
  if (tailLevel && tailLevel.index > 0) {
    flags.priority = KO_LEVEL[tailLevel[1]!]!;
    t = t.slice(0, tailLevel.index).trim();
  }
  const headLevel = KO_PRIORITY_HEAD.exec(t);
  if (headLevel) {
    flags.priority = KO_LEVEL[headLevel[1]!]!;
    t = t.slice(headLevel[0].length).trim();
  }
  return { text: t, flags };
}

function byNames(call: Call, text: string, opts: { wholeQuotes?: boolean }): Parsed | undefined {
  if (opts.wholeQuotes) return undefined;
  const intent = readByNames(call, text);
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

function tooLong(chars: number): Parsed {
  return {
    kind: 'error',
    message: `Plain-language requests are read up to ${MAX_PLAIN_CHARS} characters; this one has ${count(chars)}.`,
    hint: 'Use the /flow grammar (quote long titles), e.g. /flow add task "…" --priority high; /flow help lists the forms.',
  };
}
