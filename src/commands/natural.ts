// Plain language, English and Korean, read by fixed patterns (deterministic: the same words always
// mean the same command). Each pattern names a grammar command and where its arguments are; names
// are then resolved exactly as in the grammar, so an ambiguous name lists candidates instead of
// guessing, and a destructive request is never run without an explicit confirmation.
import type { Call } from '../core/kernel/workspace.js';
import { COMMANDS, helpText, type CommandDef, type Noun } from './grammar.js';
import { buildCommand, type Parsed } from './build.js';
import { count } from '../model/error-text.js';
import { quotedSpans } from './words.js';

type Pattern = {
  re: RegExp;
  make: (m: RegExpExecArray) => { noun: Noun | null; verb: string; positionals?: string[]; flags?: Record<string, string | true> } | Parsed;
};

const def = (noun: Noun | null, verb: string): CommandDef => COMMANDS.find((d) => d.noun === noun && d.verbs.includes(verb))!;
const clean = (s: string | undefined) =>
  (s ?? '')
    .trim()
    .replace(/^["'“‘]|["'”’]$/g, '')
    .replace(/^(?:the|a|an|my)\s+/i, '')
    .replace(/\s+(?:task|item|one)$/i, '')
    .replace(/\s*(?:태스크|작업|할\s*일)$/u, '')
    .trim();
const NOUN_WORD: Record<string, Noun> = {
  task: 'task', tasks: 'task', plan: 'plan', plans: 'plan', flow: 'flow', flows: 'flow', snapshot: 'snapshot', snapshots: 'snapshot',
  doc: 'doc', docs: 'doc', documents: 'doc', notes: 'doc', 태스크: 'task', 작업: 'task', 할일: 'task', 플랜: 'plan', 계획: 'plan', 플로우: 'flow', 스냅샷: 'snapshot', 문서: 'doc',
};

// "…, high priority", "… with urgent priority", "… priority: low" at the end of a new task's title is
// its priority, not part of its title ("normal" is medium).
const PRIORITY_TAIL = /(?:\s*,)?\s+(?:(?:with|at|as)\s+)?(?:an?\s+)?(low|medium|normal|high|urgent)(?:-|\s+)priority$|(?:\s*,)?\s+(?:with\s+)?priority\s*[:=]?\s*(low|medium|normal|high|urgent)$/i;
function priorityTail(text: string): { title: string; priority?: string } {
  const m = PRIORITY_TAIL.exec(text);
  return m && m.index > 0 ? { title: text.slice(0, m.index), priority: m[1] ?? m[2] } : { title: text };
}
const priorityWord = (w: string) => (w.toLowerCase() === 'normal' ? 'medium' : w.toLowerCase());

/** A task status as people name it in a list request ("blocked tasks", "막힌 작업"). */
const LISTED_STATUS: Record<string, string> = {
  blocked: 'blocked', stuck: 'blocked', done: 'done', finished: 'done', completed: 'done', open: 'todo', todo: 'todo', pending: 'todo',
  'in progress': 'in_progress', 'in-progress': 'in_progress', started: 'in_progress', cancelled: 'cancelled', canceled: 'cancelled',
  skipped: 'cancelled', review: 'review', 'in review': 'review',
  막힌: 'blocked', 막혀있는: 'blocked', 블록된: 'blocked', 차단된: 'blocked', 진행중인: 'in_progress', 하고있는: 'in_progress',
  완료된: 'done', 끝난: 'done', 남은: 'todo', 열린: 'todo', 취소된: 'cancelled', 리뷰중인: 'review', 검토중인: 'review',
};
const listedStatus = (w: string) => LISTED_STATUS[w.toLowerCase().replace(/\s+/g, w.includes('-') ? '' : /[a-z]/i.test(w) ? ' ' : '')];
/** Priority words in Korean, and the English ones said inside a Korean sentence. */
const KO_PRIORITY: Record<string, string> = { 낮음: 'low', 낮게: 'low', 보통: 'medium', 중간: 'medium', 높음: 'high', 높게: 'high', 긴급: 'urgent', 급함: 'urgent', low: 'low', medium: 'medium', high: 'high', urgent: 'urgent' };
/** "새 결제 작업 추가" adds a task titled 결제: "new" before a title is not part of it. */
const withoutNew = (title: string) => title.replace(/^새(?:로운)?(?:\s+|$)/u, '');

// A quoted span stands in the text the patterns read as one placeholder: private-use marks around its
// number, which no pattern word, particle or article can match or strip. Taken back verbatim after.
const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PH = `${PH_OPEN}\\d+${PH_CLOSE}`;

const EN: Pattern[] = [
  // add a task "mark old tasks done" to SEO: after a quoted title, "to X" names the plan ("plan" optional)
  {
    re: new RegExp(`^(?:please\\s+)?(?:add|create|make|new)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?(?:task|todo)\\s*(?:called\\s+|named\\s+|:\\s*)?(${PH})\\s+(?:to|in|into|on|under)\\s+(?:the\\s+)?(.+?)(?:\\s+plan)?$`, 'i'),
    make: (m) => ({ noun: 'task', verb: 'add', positionals: [clean(m[1])], flags: { plan: clean(m[2]) } }),
  },
  // add a task to write migration tests to the auth plan; add an urgent task: fix login with high priority
  {
    re: /^(?:please\s+)?(?:add|create|make|new)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:(low|medium|normal|high|urgent)(?:-|\s+)(?:priority\s+)?)?(?:task|todo)(?![\p{L}\p{N}])\s*(?:to\s+|called\s+|named\s+|for\s+|:\s*)?(.+?)(?:\s+(?:to|in|into|on|under)\s+(?:the\s+)?(.+?)\s+plan)?$/iu,
    make: (m) => {
      const { title, priority } = priorityTail(m[2]!);
      const level = priority ?? m[1];
      return { noun: 'task', verb: 'add', positionals: [clean(title)], flags: { ...(m[3] ? { plan: clean(m[3]) } : {}), ...(level ? { priority: priorityWord(level) } : {}) } };
    },
  },
  { re: /^(?:add|create|start|make)\s+(?:a\s+|an\s+)?(?:new\s+)?plan\s+(?:called\s+|named\s+|for\s+)?(.+)$/i, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [clean(m[1])] }) },
  { re: /^(?:add|create|start|make)\s+(?:a\s+|an\s+)?(?:new\s+)?flow\s+(?:called\s+|named\s+|for\s+)?(.+)$/i, make: (m) => ({ noun: 'flow', verb: 'add', positionals: [clean(m[1])] }) },
  // rename the login page task to "Sign-in page" / rename plan SEO to "Search"
  { re: /^rename\s+(?:the\s+)?(.+?)\s+(task|plan|flow)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'rename', positionals: [clean(m[1]), m[3]!.trim()] }) },
  { re: /^rename\s+(task|plan|flow)\s+(.+?)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'rename', positionals: [clean(m[2]), m[3]!.trim()] }) },
  // done
  { re: /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$/i, make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  { re: /^(?:finish|complete|close)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s+is\s+(?:done|finished|complete)$/i, make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  { re: /^i(?:'ve|\s+have)?\s+(?:finished|completed|done)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  // start / in progress
  { re: /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:in progress|in-progress|started)$/i, make: (m) => ({ noun: null, verb: 'start', positionals: [clean(m[1])] }) },
  { re: /^i(?:'m|\s+am)\s+(?:now\s+)?(?:working\s+on|starting)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'start', positionals: [clean(m[1])] }) },
  { re: /^(?:start|begin)\s+(?:working\s+on\s+)?(.+)$/i, make: (m) => ({ noun: null, verb: 'start', positionals: [clean(m[1])] }) },
  // make the refund task urgent; set login page to high priority; change the priority of X to low
  { re: /^(?:make|mark)\s+(.+?)\s+(?:as\s+)?(?:an?\s+)?(low|medium|normal|high|urgent)(?:[-\s]+priority)?$/i, make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { priority: priorityWord(m[2]!) } }) },
  { re: /^(?:set|change|bump|raise|lower|move)\s+(?:the\s+)?(?:priority\s+(?:of|for)\s+)?(.+?)(?:'s\s+priority)?\s+(?:to|up\s+to|down\s+to)\s+(low|medium|normal|high|urgent)(?:[-\s]+priority)?$/i, make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { priority: priorityWord(m[2]!) } }) },
  // cancel / block / review
  { re: /^(?:skip|cancel|drop)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'skip', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s+is\s+blocked$/i, make: (m) => ({ noun: 'task', verb: 'block', positionals: [clean(m[1])] }) },
  { re: /^block\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'block', positionals: [clean(m[1])] }) },
  { re: /^(?:i(?:'m|\s+am)\s+(?:blocked|stuck)\s+on\s+(.+)|(.+?)\s+is\s+stuck|put\s+(.+?)\s+on\s+hold)$/i, make: (m) => ({ noun: 'task', verb: 'block', positionals: [clean(m[1] ?? m[2] ?? m[3])] }) },
  { re: /^(?:(?:mark|send|put)\s+(.+?)\s+(?:for|to|up\s+for|in)\s+review|(.+?)\s+needs\s+(?:a\s+)?review)$/i, make: (m) => ({ noun: 'task', verb: 'review', positionals: [clean(m[1] ?? m[2])] }) },
  { re: /^(.+?)\s+is\s+ready\s+for\s+review$/i, make: (m) => ({ noun: 'task', verb: 'review', positionals: [clean(m[1])] }) },
  // next, status, resume, help
  { re: /^(?:what(?:'s|\s+is)\s+next|what\s+(?:should|do|can)\s+i\s+(?:do|work\s+on)(?:\s+next|\s+now)?|next(?:\s+task)?|what\s+now|give\s+me\s+(?:a|the\s+next)\s+task|what(?:'s|\s+is)\s+(?:the|my)\s+next\s+task|give\s+me\s+something\s+to\s+do|anything\s+(?:else\s+)?to\s+do|what(?:'s|\s+is)\s+ready)$/i, make: () => ({ noun: null, verb: 'next' }) },
  { re: /^(?:(?:show\s+(?:me\s+)?|give\s+me\s+)?(?:the\s+)?(?:project\s+)?(?:status|progress)(?:\s+report)?|where\s+are\s+we|where\s+was\s+i|where\s+do\s+(?:we|things)\s+stand|what(?:'s|\s+is)\s+the\s+(?:status|progress)|how\s+are\s+we\s+doing|how(?:'s|\s+is)\s+it\s+going|how\s+far\s+along\s+are\s+we|how\s+many\s+(?:tasks\s+)?(?:are\s+)?left)$/i, make: () => ({ kind: 'status', dry_run: false }) },
  { re: /^(?:resume|brief\s+me|catch\s+me\s+up|where\s+did\s+(?:we|i)\s+leave\s+off|let'?s\s+continue|continue\s+where\s+(?:we|i)\s+left\s+off|pick\s+up\s+where\s+(?:we|i)\s+left\s+off)$/i, make: () => ({ noun: null, verb: 'resume' }) },
  // undo
  { re: /^undo\s+(?:the\s+|my\s+)?(?:last\s+)?(restore|delete|deletion|import)$/i, make: (m) => ({ kind: 'undo', what: m[1]!.toLowerCase().startsWith('delet') ? 'delete' : (m[1]!.toLowerCase() as 'restore' | 'import'), dry_run: false, confirm: false }) },
  // lists
  { re: /^(?:show|list|see)\s+(?:me\s+)?(?:all\s+)?(?:my\s+|the\s+)?(tasks|plans|flows|snapshots|documents|docs|notes)$/i, make: (m) => ({ noun: NOUN_WORD[m[1]!.toLowerCase()]!, verb: 'list' }) },
  // show me blocked tasks; list the done tasks; which tasks are in review; what's blocked
  {
    re: /^(?:(?:show|list|see|give)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|my\s+)?|what\s+are\s+(?:the\s+|my\s+)?|which\s+are\s+(?:the\s+)?)(blocked|stuck|done|finished|completed|open|todo|pending|in[-\s]progress|started|cancelled|canceled|skipped|in\s+review)\s+(?:tasks|items|ones|todos)$/i,
    make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus(m[1]!)! } }),
  },
  { re: /^(?:which|what)\s+(?:tasks|items)\s+are\s+(blocked|stuck|done|finished|completed|open|pending|in[-\s]progress|cancelled|canceled|skipped|in\s+review)$|^what(?:'s|\s+is)\s+(blocked|stuck|done|finished|in\s+review)$/i, make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus((m[1] ?? m[2])!)! } }) },
  { re: /^(?:what(?:'s|\s+is)\s+in\s+progress|what\s+am\s+i\s+(?:working\s+on|doing)(?:\s+now)?|what\s+are\s+we\s+working\s+on(?:\s+now)?)$/i, make: () => ({ noun: 'task', verb: 'list', flags: { status: 'in_progress' } }) },
  // import .ai-brain/flows.json (the grammar's import, without "/flow")
  { re: /^import\s+(?:the\s+)?(?:file\s+)?(\S+\.(?:json|txt))$/i, make: (m) => ({ noun: null, verb: 'import', positionals: [m[1]!] }) },
  { re: /^(?:what(?:'s|\s+is)\s+left|show\s+(?:me\s+)?(?:the\s+)?open\s+tasks|what\s+is\s+still\s+open)$/i, make: () => ({ noun: 'task', verb: 'list', flags: { status: 'todo' } }) },
  // switching
  { re: /^(?:switch|go|change|move)\s+(?:over\s+)?to\s+(?:the\s+)?(.+?)\s+(flow|plan)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[1])] }) },
  { re: /^(?:switch|go|change)\s+to\s+(flow|plan)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[2])] }) },
  { re: /^(?:use|open|work\s+on)\s+(?:the\s+)?(.+?)\s+(flow|plan)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[1])] }) },
  // snapshots
  { re: /^(?:take|make|create|save)\s+(?:a\s+)?snapshot(?:\s+(?:called|named|labell?ed)?\s*[:]?\s*(.+))?$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[1])] : [] }) },
  { re: /^snapshot(?:\s+(?:before\s+)?(.+))?$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[0]!.replace(/^snapshot\s+/i, ''))] : [] }) },
  // decisions
  { re: /^(?:we\s+|i\s+)?decided\s+(?:to\s+|that\s+)?(.+?)(?:\s+because\s+(.+))?$/i, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
  // search
  { re: /^(?:search|look)\s+(?:for\s+|up\s+)?(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [clean(m[1])] }) },
  { re: /^find\s+(?:notes\s+|anything\s+|docs\s+)?(?:about|on|for)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [clean(m[1])] }) },
  // snapshots by what they are: restore the last snapshot; what changed since the last snapshot
  { re: /^(?:restore|go\s+back\s+to|roll\s*back\s+to|revert\s+to)\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'restore', positionals: [clean(m[1])] }) },
  { re: /^(?:what(?:'s|\s+has|\s+have)?\s+changed|(?:show\s+(?:me\s+)?)?(?:the\s+)?changes|diff)\s+since\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1])] }) },
  { re: /^compare\s+(?:with|to|against)\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1])] }) },
  // claims: take the next task; I'll take the login page; release the login page
  { re: /^(?:claim|take|grab|pick\s+up)\s+(?:the\s+)?next(?:\s+(?:ready\s+)?(?:task|one))?$/i, make: () => ({ noun: 'task', verb: 'claim', positionals: [] }) },
  { re: /^(?:claim|grab|pick\s+up|i(?:'ll|\s+will)\s+(?:take|claim|grab|pick\s+up|handle))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])] }) },
  { re: /^(?:release|unclaim|give\s+back|let\s+go\s+of|drop\s+my\s+claim\s+on)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'release', positionals: [clean(m[1])] }) },
  // dependencies: deploy depends on the docs; deploy is blocked by the docs; make deploy wait for the docs
  { re: /^(.+?)\s+(?:no\s+longer\s+depends\s+on|does(?:n't|\s+not)\s+depend\s+on|no\s+longer\s+waits\s+(?:for|on))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'undepend', positionals: [clean(m[1]), clean(m[2])] }) },
  { re: /^(?:make\s+)?(.+?)\s+(?:depends?\s+on|is\s+blocked\s+by|waits?\s+(?:for|on)|comes?\s+after|(?:should|must)\s+(?:wait\s+for|come\s+after))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  // reopen; context notes said with a label
  { re: /^(?:reopen|re-open|unfinish)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'reopen', positionals: [clean(m[1])] }) },
  { re: /^(next\s+step|(?:open\s+)?question|summary)\s*:\s*(.+)$/i, make: (m) => ({ noun: 'context', verb: 'save', flags: { [/^next/i.test(m[1]!) ? 'next_step' : /question/i.test(m[1]!) ? 'question' : 'summary']: m[2]!.trim() } }) },
  // lists of one plan: show the tasks in the auth plan
  { re: /^(?:show|list|see)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?tasks\s+(?:in|of|for|under)\s+(?:the\s+)?(.+?)(?:\s+plan)?$/i, make: (m) => ({ noun: 'task', verb: 'list', flags: { plan: clean(m[1]) } }) },
  // several tasks at once, and an undo that does not say what: said plainly, rather than misread
  { re: /^(?:add|create|new)\s+(?:some\s+|new\s+|these\s+)?(?:tasks|todos)\b/i, make: () => ({ kind: 'error', message: 'Plain language adds one task at a time.', hint: 'Say each one ("add a task to …", or /flow add task "…"); the task tool\'s create takes tasks: [...] to add several in one call.' }) },
  { re: /^undo(?:\s+(?:that|it|this|the\s+last\s+(?:one|change|thing)))?$/i, make: () => ({ kind: 'error', message: 'Undo what?', hint: 'Forms: /flow undo restore, /flow undo delete, /flow undo import (each puts back the snapshot that step took).' }) },
  // the flow's context: what did we decide; show the decisions
  { re: /^(?:what\s+did\s+we\s+decide|(?:show|list)\s+(?:me\s+)?(?:the\s+)?(?:decisions|context|open\s+questions|next\s+steps))$/i, make: () => ({ noun: 'context', verb: 'show' }) },
  // move the refund task to the payments plan
  { re: /^move\s+(?:the\s+)?(.+?)\s+(?:task\s+)?(?:to|into|under)\s+(?:the\s+)?(.+?)\s+plan$/i, make: (m) => ({ noun: 'task', verb: 'move', positionals: [clean(m[1]), clean(m[2])] }) },
  // one plan's or flow's details: show the auth plan; show plan auth
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about)\s+(?:the\s+)?(.+?)\s+(plan|flow)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'show', positionals: [clean(m[1])] }) },
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about)\s+(?:the\s+)?(plan|flow)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'show', positionals: [clean(m[2])] }) },
  // one task's details: show the refund task; tell me about X; what is X waiting on
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about|details\s+(?:of|for|on))\s+(?:the\s+)?(?:task\s+)?(.+)$|^what\s+is\s+(.+?)\s+waiting\s+(?:on|for)$/i, make: (m) => ({ noun: 'task', verb: 'show', positionals: [clean(m[1] ?? m[2])] }) },
  // deleting: read, but never run without --confirm
  { re: /^(?:delete|remove)\s+(?:the\s+)?(.+?)\s+(task|plan|flow)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'delete', positionals: [clean(m[1])] }) },
  { re: /^(?:delete|remove)\s+(task|plan|flow)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'delete', positionals: [clean(m[2])] }) },
  { re: /^(?:delete|remove)\s+(?:the\s+)?(.+)$/i, make: (m) => ({ noun: 'task', verb: 'delete', positionals: [clean(m[1])] }) },
  { re: /^rename\s+(?:the\s+)?(.+?)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'rename', positionals: [clean(m[1]), m[2]!.trim()] }) },
  { re: /^(?:help|what\s+can\s+you\s+do|commands)$/i, make: () => ({ kind: 'help', text: '' }) },
];

const KO_OBJ = '(?:을|를)?';
const KO: Pattern[] = [
  // 로그인 화면 태스크 이름을 '완료 화면'으로 변경 (before 전환, which also ends in 으로 바꿔)
  {
    re: /^(.+?)\s*(태스크|작업|할\s*일|플랜|계획|플로우)?\s*(?:의\s*)?(?:이름|제목)\s*(?:을|를)?\s*(.+?)\s*(?:으로|로)\s*(?:변경|바꿔|바꾸기|수정)/u,
    make: (m) => ({ noun: m[2] && NOUN_WORD[m[2].replace(/\s+/g, '')] ? NOUN_WORD[m[2].replace(/\s+/g, '')]! : 'task', verb: 'rename', positionals: [clean(m[1]), m[3]!.trim()] }),
  },
  // 인증 플랜에 마이그레이션 테스트 작성 태스크 추가
  {
    re: new RegExp(`^(.+?)\\s*(?:플랜|계획)에\\s*(.+?)\\s*(?:태스크|작업|할\\s*일)?\\s*${KO_OBJ}\\s*(?:추가|만들어|생성|넣어)`, 'u'),
    make: (m) => ({ noun: 'task', verb: 'add', positionals: [clean(m[2])], flags: { plan: clean(m[1]) } }),
  },
  // 새 작업 추가: 결제 연동 / 작업 추가해줘: 결제 연동 (the title after the colon)
  { re: /^(?:새(?:로운)?\s*)?(?:태스크|작업|할\s*일)\s*(?:하나\s*)?(?:추가|생성|만들기)(?:해\s*줘|해|하기)?\s*[:：]?\s*(.+)$/u, make: (m) => ({ noun: 'task', verb: 'add', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업|할\\s*일)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성)`, 'u'), make: (m) => ({ noun: 'task', verb: 'add', positionals: [withoutNew(clean(m[1]))] }) },
  { re: new RegExp(`^(.+?)\\s*(?:플랜|계획)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성)`, 'u'), make: (m) => ({ noun: 'plan', verb: 'add', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:플로우)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성|시작)`, 'u'), make: (m) => ({ noun: 'flow', verb: 'add', positionals: [clean(m[1])] }) },
  // 다음 뭐 해? / 다음 작업
  { re: /^(?:다음(?:에)?\s*(?:뭐|무엇|작업|태스크|할\s*일)?\s*(?:해|하지|할까|하면\s*돼|은|는|이야)?|이제\s*뭐\s*(?:해|하지))\s*[?？]?$/u, make: () => ({ noun: null, verb: 'next' }) },
  // 마지막 복원 취소
  { re: /^(?:마지막|최근|방금)?\s*(?:한\s*)?(복원|삭제|가져오기)\s*(?:을|를)?\s*(?:취소|되돌려|되돌리기|undo)/u, make: (m) => ({ kind: 'undo', what: m[1] === '복원' ? 'restore' : m[1] === '삭제' ? 'delete' : 'import', dry_run: false, confirm: false }) },
  // 로그인 태스크 완료 / 로그인 작업 끝났어
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:을|를|은|는|이|가)?\\s*(?:완료|끝)(?:했어|했다|했음|남|났어|처리|로\\s*표시|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*시작(?:할게|한다|해|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'start', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:취소|건너뛰기|스킵)(?:해|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'skip', positionals: [clean(m[1])] }) },
  // 결제 연동 작업을 긴급으로 바꿔줘 / 로그인 우선순위 높음으로 설정
  {
    re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:의\\s*)?(?:우선\\s*순위)?\\s*(?:을|를|은|는|이|가)?\\s*(낮음|낮게|보통|중간|높음|높게|긴급|급함|low|medium|high|urgent)\\s*(?:으로|로)?\\s*(?:바꿔|변경|설정|올려|내려|해)\\s*(?:줘|주세요)?\\s*$`, 'iu'),
    make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1]).replace(/\s*(?:의\s*)?우선\s*순위$/u, '')], flags: { priority: KO_PRIORITY[m[2]!.toLowerCase()]! } }),
  },
  // 막힌 작업 보여줘 / 진행 중인 작업 / 완료된 할 일 목록
  {
    re: /^(막힌|막혀\s*있는|블록된|차단된|진행\s*중인|하고\s*있는|완료된|끝난|남은|열린|취소된|리뷰\s*중인|검토\s*중인)\s*(?:태스크|작업|할\s*일)\s*(?:은|는|이|가)?\s*(?:목록|리스트)?\s*(?:보여\s*줘|알려\s*줘|뭐야|뭐\s*있어|있어)?\s*[?？]?$/u,
    make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus(m[1]!)! } }),
  },
  // 의존: 배포는 문서 작성 다음에 / 배포는 문서 작성에 의존
  { re: /^(.+?)\s*(?:은|는|이|가)\s+(.+?)\s*(?:다음에|후에|뒤에|이후에|끝나고)\s*(?:해야\s*(?:해|함|돼)|진행|시작)?\s*$/u, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  { re: /^(.+?)\s*(?:은|는|이|가)\s+(.+?)\s*에\s*(?:의존|의존해|의존함|의존한다)\s*$/u, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  // 맡기: 문서 작성 맡을게 / 문서 작성 반납
  { re: /^(?:다음\s*(?:작업|태스크|할\s*일)?\s*(?:을|를)?\s*(?:맡을게|가져갈게|할당해\s*줘))\s*$/u, make: () => ({ noun: 'task', verb: 'claim', positionals: [] }) },
  { re: new RegExp(`^(?:(?:내가|제가)\\s+)?(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:맡을게|맡을께|맡겠습니다|가져갈게|내가\\s*할게|제가\\s*할게요?)\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:반납|내려놓을게|놓을게|포기)(?:할게|해|함)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'release', positionals: [clean(m[1])] }) },
  // 스냅샷으로 되돌리기, 비교
  { re: /^(.+?)\s*스냅샷\s*(?:으로|로)\s*(?:복원|되돌려|되돌리기|돌아가)/u, make: (m) => ({ noun: 'snapshot', verb: 'restore', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s*스냅샷\s*(?:이후|부터)\s*(?:바뀐|달라진|변경된)\s*(?:것|거|점|내용)?\s*(?:은|는)?\s*(?:뭐야|보여\s*줘|알려\s*줘)?\s*[?？]?$|^(.+?)\s*스냅샷\s*(?:과|와|이랑|하고)\s*비교/u, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1] ?? m[2])] }) },
  // 다시 열기; 라벨 붙은 맥락
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:다시\\s*열어|다시\\s*열기|재개)(?:\\s*줘)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'reopen', positionals: [clean(m[1])] }) },
  { re: /^(다음\s*단계|질문|요약)\s*[:：]\s*(.+)$/u, make: (m) => ({ noun: 'context', verb: 'save', flags: { [m[1]!.startsWith('다음') ? 'next_step' : m[1] === '질문' ? 'question' : 'summary']: m[2]!.trim() } }) },
  // 맥락, 이어가기, 막힘, 리뷰
  { re: /^(?:결정\s*사항|결정한\s*것|맥락|컨텍스트)\s*(?:들)?\s*(?:을|를)?\s*(?:보여\s*줘|알려\s*줘|뭐야|보기)?\s*[?？]?$|^(?:뭘|무엇을|뭐)\s*결정했(?:지|어|더라)\s*[?？]?$/u, make: () => ({ noun: 'context', verb: 'show' }) },
  { re: /^(?:(?:어제|지난번에?|저번에?)\s*)?어디까지\s*했(?:지|더라|었지)\s*[?？]?$|^(?:이어서|계속)\s*(?:하자|하기|할게|진행)\s*$/u, make: () => ({ noun: null, verb: 'resume' }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:에서|이|가|은|는)?\\s*(?:막혔어|막힘|막혔다|보류)(?:\\s*(?:해\\s*줘|할게|처리))?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'block', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:리뷰|검토)\\s*(?:요청|해\\s*줘|부탁)(?:\\s*할게)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'review', positionals: [clean(m[1])] }) },
  // 목록
  { re: /^(태스크|작업|할\s*일|플랜|계획|플로우|스냅샷|문서)\s*(?:목록|리스트|보여\s*줘|보기)(?:\s*(?:보여\s*줘|좀\s*보여\s*줘))?\s*$/u, make: (m) => ({ noun: NOUN_WORD[m[1]!.replace(/\s+/g, '')]!, verb: 'list' }) },
  // 스냅샷
  { re: /^(.+?)\s*(?:전에|전)?\s*스냅샷\s*(?:을|를)?\s*(?:만들어|생성|찍어|저장)/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^스냅샷\s*(?:만들어|생성|찍어|저장)?\s*(?:줘)?\s*[:：]?\s*(.*)$/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[1])] : [] }) },
  // 전환
  { re: /^(.+?)\s*(플랜|계획|플로우)(?:으로|로)\s*(?:전환|바꿔|이동|변경|가자)/u, make: (m) => ({ noun: m[2] === '플로우' ? 'flow' : 'plan', verb: 'use', positionals: [clean(m[1])] }) },
  // 상태
  { re: /^(?:(?:지금|전체|프로젝트)\s*)?(?:상태|상황|현황|진행\s*상황)\s*(?:은|는|이|가|좀)?\s*(?:어때|어때요|어떄|어떻게\s*돼|알려\s*줘|보여\s*줘|알려\s*주세요)?\s*[?？]?$/u, make: () => ({ kind: 'status', dry_run: false }) },
  { re: /^(?:지금\s*)?(?:어디(?:야|까지)?|어디까지\s*(?:했어|왔어|했지|됐어)|어떻게\s*(?:돼\s*가|되어\s*가|진행\s*되고\s*있)(?:\S*)?)\s*[?？]?$/u, make: () => ({ kind: 'status', dry_run: false }) },
  // 검색
  { re: /^검색\s*[:：]?\s*(.+)$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s*(?:검색|찾아\s*줘|찾아)\s*$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [clean(m[1])] }) },
  // 결정
  { re: /^(.+?)\s*(?:로|으로)\s*결정(?:했어|했다|함)?\s*$/u, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()] }) },
];

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
    .replace(/[\s,]*\bplease[.!]*$/i, '')
    .replace(/^please\b[\s,]*/i, '');
  const plainLength = text.length + input.trim().length - shielded.length; // as the person wrote it
  if (plainLength > MAX_PLAIN_CHARS) return tooLong(plainLength);
  const bare = text.replace(/[?？]+$/, '').trim();
  for (const p of [...EN, ...KO]) {
    const m = p.re.exec(p.re.source.includes('[?？]') ? text : bare);
    if (!m) continue;
    const made = p.make(m);
    if ('kind' in made) {
      if (made.kind === 'help') return { kind: 'help', text: helpText() };
      return made;
    }
    const d = def(made.noun, made.verb);
    if (!d) continue;
    const positionals = (made.positionals ?? []).map(restore).filter((x) => x !== '');
    const flags = Object.fromEntries(Object.entries(made.flags ?? {}).map(([k, v]) => [k, v === true ? v : restore(v)]));
    if (opts.wholeQuotes && mixed()) return undefined;
    return buildCommand(call, { def: d, positionals, flags }, 'plain language');
  }
  return undefined;
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
