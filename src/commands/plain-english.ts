// Plain English, read by fixed patterns, in order: the first that fits names a grammar command and where
// its arguments are (natural.ts reads them; plain-words.ts has what the patterns share).
import type { Noun } from './grammar.js';
import { clean, listedStatus, titled, newTitle, NOUN_WORD, PH, positionWord, priorityTail, priorityWord, searchWords, type Pattern } from './plain-words.js';

/**
 * A verb after "new plan" / "new flow" says something of it ("new plan looks good", "new flow is ready"):
 * no name follows.
 */
const SAID_OF_IT = String.raw`(?:is|are|was|were|looks?|seems?|has|have|had|should|would|will|can|could|works?|needs?|goes|went|got|gets?|isn'?t|doesn'?t|did|does)\b`;

export const EN: Pattern[] = [
  // A question, next step or summary to save, first: the text after the colon is kept as it is, its
  // verbs and question mark included ("open question: should we delete X?" is not a delete).
  { re: /^(?:(?:(?:add|log|record|note|save)\s+(?:a\s+|an\s+|the\s+)?)(next\s+step|(?:open\s+)?question|summary)(?:\s+for\s+later)?\s*(?::|\bto\b(?!\s+(?:the|this|that|it|my|our)\b))|(next\s+step|(?:open\s+)?question)(?:\s+for\s+later)?\s*(?::|\bto\b(?!\s+(?:the|this|that|it|my|our)\b))|(summary)\s*:)\s*(.+?[?？]*)$/i, make: (m) => {
    const kind = (m[1] ?? m[2] ?? m[3])!;
    return { noun: 'context', verb: 'save', flags: { [/^next/i.test(kind) ? 'next_step' : /question/i.test(kind) ? 'question' : 'summary']: m[4]!.trim() } };
  } },
  // add a task "mark old tasks done" to SEO: after a quoted title, "to X" names the plan ("plan" optional)
  {
    re: new RegExp(`^(?:please\\s+)?(?:add|create|make|new)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?(?:task|todo)\\s*(?:called\\s+|named\\s+|:\\s*)?(${PH})\\s+(?:to|in|into|on|under)\\s+(?:the\\s+)?(.+?)(?:\\s+plan)?$`, 'i'),
    make: (m) => ({ noun: 'task', verb: 'add', positionals: [titled(m[1])], flags: { plan: clean(m[2]) } }),
  },
  // add "Add 3DS support" to the payments plan: a quoted title needs no "task"
  { re: new RegExp(`^(?:add|create)\\s+(${PH})(?:\\s+(?:to|in|into|on|under)\\s+(?:the\\s+)?(.+?)(?:\\s+plan)?)?$`, 'i'), make: (m) => ({ noun: 'task', verb: 'add', positionals: [m[1]!], flags: m[2] ? { plan: clean(m[2]) } : {} }) },
  // add a task to write migration tests to the auth plan; add an urgent task: fix login with high priority
  {
    re: /^(?:please\s+)?(?:add|create|make|new)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:(low|medium|normal|high|urgent)(?:-|\s+)(?:priority\s+)?)?(?:task|todo)(?![\p{L}\p{N}])\s*(?:to\s+|called\s+|named\s+|for\s+|:\s*)?(.+?)(?:\s+(?:to|in|into|on|under)\s+(?:the\s+)?(.+?)\s+plan)?$/iu,
    make: (m) => {
      const { title, priority } = priorityTail(m[2]!);
      const level = priority ?? m[1];
      return { noun: 'task', verb: 'add', positionals: [titled(title)], flags: { ...(m[3] ? { plan: clean(m[3]) } : {}), ...(level ? { priority: priorityWord(level) } : {}) } };
    },
  },
  { re: /^(?:(?:add|create|start|make)\s+(?:a\s+|an\s+)?)?(?:new\s+)?plan\s*(?::|called|named|for)?\s*(.+?)\s*[,;]\s*(?:with\s+(?:the\s+)?)?(?:objective|goal)\s*[:=]?\s*(.+)$/i, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [titled(m[1])], flags: { objective: m[2]!.trim() } }) },
  { re: /^(?:add|create|make)\s+(?:a\s+)?(?:new\s+)?plan\s+(?:called\s+|named\s+)?(.+?)\s+with\s+(?:the\s+|an?\s+)?(?:objective|goal)\s*:?\s*(.+)$/i, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [titled(m[1])], flags: { objective: clean(m[2]) } }) },
  { re: /^(?:add|create|make)\s+(?:a\s+)?(?:new\s+)?plan\s+(?:called\s+|named\s+)?(.+?)\s+(?:to|in|under)\s+(?:the\s+)?(.+?)\s+flow$/i, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [titled(m[1])], flags: { flow: clean(m[2]) } }) },
  { re: /^new\s+plan\s*:\s*(.+)$/i, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [titled(m[1])] }) },
  { re: new RegExp(`^(?:(?:add|create|start|make)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?|new\\s+(?!plan\\s+${SAID_OF_IT}))plan\\s+(?:called\\s+|named\\s+|for\\s+)?(.+)$`, 'i'), make: (m) => ({ noun: 'plan', verb: 'add', positionals: [titled(m[1])] }) },
  { re: /^(?:todo|to-do|new\s+task|task)\s*:\s*(.+)$/i, make: (m) => ({ noun: 'task', verb: 'add', positionals: [titled(m[1])] }) },
  { re: /^(?:we|i)\s+(?:also\s+)?(?:need|have|want)\s+to\s+(.+?)[,;]\s*(?:add|track|log|make)\s+(?:that|it|this)(?:\s+(?:as\s+)?(?:a\s+)?(?:task|todo))?(?:\s+(?:as\s+|with\s+)?(?:an?\s+)?(low|medium|normal|high|urgent)(?:[-\s]+(?:priority|prio))?)?$/i, make: (m) => ({ noun: 'task', verb: 'add', positionals: [clean(m[1])], flags: m[2] ? { priority: priorityWord(m[2]) } : {} }) },
  { re: /^(?:we|i)\s+(?:need|want|should\s+have)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:task|todo)\s+(?:to|for)\s+(.+)$/i, make: (m) => {
    const { title, priority } = priorityTail(m[1]!);
    return { noun: 'task', verb: 'add', positionals: [titled(title)], flags: priority ? { priority: priorityWord(priority) } : {} };
  } },
  { re: new RegExp(`^(?:(?:add|create|start|make)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?|new\\s+(?!flow\\s+${SAID_OF_IT}))flow\\s*(?::\\s*|\\s(?:called\\s+|named\\s+|for\\s+)?)(.+)$`, 'i'), make: (m) => ({ noun: 'flow', verb: 'add', positionals: [titled(m[1])] }) },
  // rename the login page task to "Sign-in page" / rename plan SEO to "Search"
  { re: /^rename\s+(?:the\s+)?(.+?)\s+(task|plan|flow)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'rename', positionals: [clean(m[1]), newTitle(m[3]!)] }) },
  { re: /^rename\s+(task|plan|flow)\s+(.+?)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'rename', positionals: [clean(m[2]), newTitle(m[3]!)] }) },
  // change the title of X to Y; call the rate limiter task "API rate limiter" instead
  {
    re: /^(?:change|set|update|edit)\s+(?:the\s+)?(?:title|name)\s+of\s+(?:the\s+)?(.+?)\s+(?:to|as)\s+(.+)$/i,
    make: (m) => {
      const kind = /\s(plan|flow)$/i.exec(m[1]!)?.[1]?.toLowerCase() as Noun | undefined;
      return { noun: kind ?? 'task', verb: 'rename', positionals: [clean(kind ? m[1]!.slice(0, -kind.length) : m[1]), newTitle(m[2]!)] };
    },
  },
  // ("call the login page task done" says a status, not a new title)
  { re: new RegExp(`^(?:call|name|retitle)\\s+(?:the\\s+)?(.+?)\\s+(task|plan|flow)\\s+(?:(?:to|as)\\s+)?(?!(?:done|finished|complete|completed|blocked|started|cancell?ed|closed|in\\s+progress|in\\s+review|todo|over)\\s*$)(${PH}|.+?)(?:\\s+instead)?$`, 'i'), make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'rename', positionals: [clean(m[1]), newTitle(m[3]!)] }) },
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
  { re: /^(?:what(?:'s|s|\s+is)?\s+next|what\s+(?:should|do|can)\s+i\s+(?:do|work\s+on)(?:\s+next|\s+now)?|next(?:\s+task)?|what\s+now|give\s+me\s+(?:a|the\s+next)\s+task|what(?:'s|\s+is)\s+(?:the|my)\s+next\s+task|give\s+me\s+something\s+to\s+do|anything\s+(?:else\s+)?to\s+do|what(?:'s|\s+is)\s+ready)$/i, make: () => ({ noun: null, verb: 'next' }) },
  { re: /^(?:(?:show\s+(?:me\s+)?|give\s+me\s+)?(?:the\s+)?(?:project\s+)?(?:status|progress)(?:\s+report)?|where\s+are\s+we(?:\s+at)?(?:\s+(?:overall|right\s+now|now|so\s+far))?|(?:give\s+me\s+)?(?:a\s+)?(?:quick\s+)?(?:progress|status)\s+(?:update|report)|where\s+do\s+(?:we|things)\s+stand|what(?:'s|\s+is)\s+the\s+(?:status|progress)|how\s+are\s+we\s+doing|how(?:'s|s|\s+is)\s+it\s+going|how\s+far\s+along\s+are\s+we|how\s+many\s+(?:tasks\s+)?(?:are\s+)?left)$/i, make: () => ({ kind: 'status', dry_run: false }) },
  { re: /^(?:resume(?:\s+(?:where\s+(?:we|i)\s+left\s+off|(?:the\s+)?work))?|where\s+(?:was\s+i|were\s+we)(?:\s+again)?|brief\s+me(?:\s+on\s+(?:where\s+(?:we|i)\s+left\s+off|(?:this|the)\s+(?:project|flow|work)))?|catch\s+me\s+up\s+on\s+(?:this|the)\s+(?:project|flow|work)|catch\s+me\s+up|where\s+did\s+(?:we|i)\s+leave\s+off|let'?s\s+continue|continue\s+where\s+(?:we|i)\s+left\s+off|pick\s+up\s+where\s+(?:we|i)\s+left\s+off)$/i, make: () => ({ noun: null, verb: 'resume' }) },
  // undo
  { re: /^undo\s+(?:the\s+|my\s+|that\s+|this\s+)?(?:last\s+)?(restore|delete|deletion|import)\b.*$/i, make: (m) => ({ kind: 'undo', what: m[1]!.toLowerCase().startsWith('delet') ? 'delete' : (m[1]!.toLowerCase() as 'restore' | 'import'), dry_run: false, confirm: false }) },
  // lists
  { re: /^(?:show|list|see)\s+(?:me\s+)?(?:all\s+)?(?:my\s+|the\s+)?(tasks|plans|flows|snapshots|documents|docs|notes)$/i, make: (m) => ({ noun: NOUN_WORD[m[1]!.toLowerCase()]!, verb: 'list' }) },
  // what plans do we have; show archived flows; what snapshots do we have; show me the docs
  { re: /^(?:(?:what|which)\s+(plans|flows|snapshots|docs|documents|notes)\s+(?:do\s+we\s+have|have\s+we\s+got|are\s+there)(?:\s+(?:in\s+this\s+flow|here|so\s+far))?|(?:show|list|see)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|our\s+|my\s+)?(plans|flows|snapshots|docs|documents|notes)(?:\s+(?:we\s+have|in\s+this\s+flow|here))?)$/i, make: (m) => ({ noun: NOUN_WORD[(m[1] ?? m[2])!.toLowerCase()]!, verb: 'list' }) },
  { re: /^(?:show|list|see)\s+(?:me\s+)?(?:the\s+|all\s+)?(archived|active)\s+flows$/i, make: (m) => ({ noun: 'flow', verb: 'list', flags: { status: m[1]!.toLowerCase() } }) },
  // list done tasks in payments; the tasks matching "webhook"; the top 5 todo tasks
  { re: /^(?:show|list|see|give)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|my\s+)?(?:(?:top|first)\s+(\d+)\s+)?(blocked|done|finished|completed|open|todo|pending|in[-\s]progress|cancelled|canceled|in\s+review)?\s*(?:tasks|todos|items)(?:\s+(?:in|of|for|under)\s+(?:the\s+)?(.+?)(?:\s+plan)?)?(?:\s+(?:matching|about|with|containing)\s+(.+))?$/i,
    make: (m) => ({ noun: 'task', verb: 'list', flags: { ...(m[2] ? { status: listedStatus(m[2])! } : {}), ...(m[3] ? { plan: clean(m[3]) } : {}), ...(m[4] ? { query: clean(m[4]) } : {}), ...(m[1] ? { limit: m[1] } : {}) } }) },
  // show me blocked tasks; list the done tasks; which tasks are in review; what's blocked
  {
    re: /^(?:(?:show|list|see|give)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|my\s+)?|what\s+are\s+(?:the\s+|my\s+)?|which\s+are\s+(?:the\s+)?)(blocked|stuck|done|finished|completed|open|todo|pending|in[-\s]progress|started|cancelled|canceled|skipped|in\s+review)\s+(?:tasks|items|ones|todos)$/i,
    make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus(m[1]!)! } }),
  },
  { re: /^(?:which|what)\s+(?:tasks|items)\s+are\s+(blocked|stuck|done|finished|completed|open|pending|in[-\s]progress|cancelled|canceled|skipped|in\s+review)$|^what(?:'s|\s+is)\s+(blocked|stuck|done|finished|in\s+review)$/i, make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus((m[1] ?? m[2])!)! } }) },
  { re: /^(?:what(?:'s|\s+is)\s+in\s+progress|what\s+am\s+i\s+(?:working\s+on|doing)(?:\s+now)?|what\s+are\s+we\s+working\s+on(?:\s+now)?|who(?:'s|\s+is)\s+(?:working\s+on|doing)\s+what(?:\s+now)?)$/i, make: () => ({ noun: 'task', verb: 'list', flags: { status: 'in_progress' } }) },
  // import .ai-brain/flows.json (the grammar's import, without "/flow")
  { re: /^import\s+(?:the\s+)?(?:file\s+)?(\S+\.(?:json|txt))$/i, make: (m) => ({ noun: null, verb: 'import', positionals: [m[1]!] }) },
  { re: /^(?:what(?:'s|\s+is)\s+left|show\s+(?:me\s+)?(?:the\s+)?open\s+tasks|what\s+is\s+still\s+open)$/i, make: () => ({ noun: 'task', verb: 'list', flags: { status: 'todo' } }) },
  // switching
  { re: /^(?:switch|go|change|move)\s+(?:over\s+)?to\s+(?:the\s+)?(.+?)\s+(flow|plan)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[1])] }) },
  { re: /^(?:switch|go|change)\s+to\s+(flow|plan)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[2])] }) },
  { re: /^(?:use|open|work\s+on)\s+(?:the\s+)?(.+?)\s+(flow|plan)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'use', positionals: [clean(m[1])] }) },
  // snapshots
  { re: /^(?:make|take|create|save)\s+(?:a\s+)?pinned\s+snapshot(?:\s+(?:named|called|labell?ed))?\s*:?\s*(.+?)(?:\s+so\s+(?:it|that)\s+.+)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])], flags: { pinned: true } }) },
  { re: /^(?:(?:take|make|create|save)\s+(?:a\s+)?)?snapshot\b.*?[,;]?\s+(?:and\s+)?(?:label(?:led)?\s+it|call\s+it|name\s+it)\s*:?\s+(.+)$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^(?:(?:take|make|create|save)\s+(?:a\s+)?)?snapshot(?:\s+(?:now|it))?\s*,?\s*(?:and\s+)?(?:label(?:led)?\s+it|call\s+it|name\s+it|labell?ed|named)\s*:?\s+(.+)$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^(?:take|make|create|save)\s+(?:a\s+)?snapshot(?:\s+(?:called|named|labell?ed)?\s*[:]?\s*(.+))?$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[1])] : [] }) },
  { re: /^snapshot(?:\s+(?:before\s+)?(.+))?$/i, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[0]!.replace(/^snapshot\s+/i, ''))] : [] }) },
  // decisions
  { re: /^(?:(?:log|record|note|add|save)\s+(?:a\s+|the\s+)?)?decision\s*:\s*(.+?)(?:\s*[,;.]?\s*(?:reason|why|because|since)\s*:?\s*(.+))?$/i, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
  { re: /^(?:we\s+|i\s+)?decided\s+(?:to\s+|that\s+)?(.+?)(?:\s+(?:because|since)\s+(.+?))?(?:[,;]\s*(?:log|note|record|save|remember)\s+(?:that|it|this))?$/i, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
  // search
  { re: /^(?:where\s+did\s+(?:we|i)\s+(?:write|note|document|put)(?:\s+down)?|do\s+we\s+have\s+(?:anything|notes|docs)|what\s+do\s+we\s+know)\s+(?:about|on)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(?:search|look\s+up|find|look)\s+(?:for\s+)?(?:anything|something|stuff|notes|docs)\s+(?:on|about|regarding)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(?:search|look\s+through|check)\s+(?:the\s+|our\s+|my\s+)?(?:notes|docs|documents|documentation)\s+(?:for|about|on)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(?:search|look)\s+(?:everything|everywhere|all(?:\s+of\s+it)?|the\s+(?:whole\s+)?project)\s+(?:for|about)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(?:search|look)\s+(?:for\s+|up\s+)?(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^find\s+(?:notes\s+|anything\s+|docs\s+)?(?:about|on|for)\s+(.+)$/i, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  // snapshots by what they are: restore the last snapshot; what changed since the last snapshot
  { re: /^(?:restore|go\s+back\s+to|roll\s*back\s+to|revert\s+to)\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'restore', positionals: [clean(m[1])] }) },
  { re: /^(?:what(?:'s|\s+has|\s+have)?\s+changed|what(?:'s|\s+is)\s+different|(?:show\s+(?:me\s+)?)?(?:the\s+)?changes|diff)\s+since\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1])] }) },
  { re: /^(?:clean\s*up|prune|trim|tidy(?:\s+up)?)\s+(?:the\s+)?old(?:er)?\s+snapshots\b.*$/i, make: () => ({ noun: 'snapshot', verb: 'prune', positionals: [] }) },
  { re: /^compare\s+(?:with|to|against)\s+(?:the\s+)?(?:snapshot\s+)?(.+?)(?:\s+snapshot)?$/i, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1])] }) },
  // claims: take the next task; I'll take the login page; release the login page
  { re: /^(?:claim|take|grab|pick\s+up)\s+(?:the\s+)?next(?:\s+(?:ready\s+)?(?:task|one))?$/i, make: () => ({ noun: 'task', verb: 'claim', positionals: [] }) },
  { re: /^(?:claim|grab|take)\s+(?:the\s+)?(.+?)\s+(?:for|as)\s+(?:agent\s+)?([\w.-]+)$/i, make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])], flags: { agent: m[2]! } }) },
  { re: /^(?:claim|grab|pick\s+up|i(?:'ll|\s+will)\s+(?:take|claim|grab|pick\s+up|handle))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])] }) },
  { re: /^(?:release|unclaim|give\s+back|let\s+go\s+of|drop\s+my\s+claim\s+on)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'release', positionals: [clean(m[1])] }) },
  // dependencies: deploy depends on the docs; deploy is blocked by the docs; make deploy wait for the docs
  { re: /^(.+?)\s+(?:no\s+longer\s+depends\s+on|does(?:n't|\s+not)\s+depend\s+on|no\s+longer\s+waits\s+(?:for|on))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'undepend', positionals: [clean(m[1]), clean(m[2])] }) },
  { re: /^(?:make\s+)?(.+?)\s+(?:depends?\s+on|is\s+blocked\s+by|waits?\s+(?:for|on)|comes?\s+after|(?:should|must)\s+(?:wait\s+for|come\s+after))\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  // reopen; context notes said with a label
  { re: /^(?:reopen|re-open|unfinish)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'reopen', positionals: [clean(m[1])] }) },
  { re: /^(?:update|set|change)\s+(?:the\s+)?(?:flow(?:'s)?\s+)?summary\s+(?:to|:)\s*(.+)$/i, make: (m) => ({ noun: 'context', verb: 'save', flags: { summary: clean(m[1]) } }) },
  // lists of one plan: show the tasks in the auth plan
  { re: /^(?:show|list|see)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?tasks\s+(?:in|of|for|under)\s+(?:the\s+)?(.+?)(?:\s+plan)?$/i, make: (m) => ({ noun: 'task', verb: 'list', flags: { plan: clean(m[1]) } }) },
  // several tasks at once, and an undo that does not say what: said plainly, rather than misread
  { re: /^(?:add|create|new)\s+(?:some\s+|new\s+|these\s+)?(?:tasks|todos)\b/i, make: () => ({ kind: 'error', message: 'Plain language adds one task at a time.', hint: 'Say each one ("add a task to …", or /flow add task "…"); the task tool\'s create takes tasks: [...] to add several in one call.' }) },
  { re: /^undo(?:\s+(?:that|it|this|the\s+last\s+(?:one|change|thing)))?$/i, make: () => ({ kind: 'error', message: 'Undo what?', hint: 'Forms: /flow undo restore, /flow undo delete, /flow undo import (each puts back the snapshot that step took); a task\'s status: /flow reopen task <task> (back to todo; flowmcp log shows the statuses it had).' }) },
  // the flow's context: what did we decide; show the decisions
  { re: /^(?:show\s+(?:me\s+)?)?(?:the\s+)?(?:full\s+|whole\s+)?context\s+history$/i, make: () => ({ noun: 'context', verb: 'history' }) },
  { re: /^(?:what\s+did\s+we\s+decide|what\s+(?:decisions|choices)\s+(?:have|did)\s+we\s+(?:made|make)(?:\s+so\s+far)?|(?:show|list)\s+(?:me\s+)?(?:the\s+)?(?:decisions|context|open\s+questions|next\s+steps))$/i, make: () => ({ noun: 'context', verb: 'show' }) },
  // move the refund task to the payments plan
  { re: /^move\s+(?:the\s+)?(.+?)\s+(?:task\s+)?(?:to|into|under)\s+(?:the\s+)?(.+?)\s+plan$/i, make: (m) => ({ noun: 'task', verb: 'move', positionals: [clean(m[1]), clean(m[2])] }) },
  // a snapshot's details: show me the latest snapshot
  { re: /^(?:show(?:\s+me)?|what(?:'s|\s+is)\s+in)\s+(?:the\s+)?(.+?)\s+snapshot$/i, make: (m) => ({ noun: 'snapshot', verb: 'show', positionals: [clean(m[1])] }) },
  // a plan to a position: make Payments the second plan; move the auth plan to the top
  { re: /^(?:make|put|move)\s+(?:the\s+)?(.+?)(?:\s+plan)?\s+(?:to\s+)?(?:the\s+)?(top|first|second|third|fourth|fifth|position\s+\d+)(?:\s+plan)?(?:\s+of\s+the\s+(?:plan\s+)?list)?$/i, make: (m) => ({ noun: 'plan', verb: 'move', positionals: [clean(m[1]), positionWord(m[2]!)] }) },
  // a task's description: update the description of X: …
  { re: /^(?:update|change|set|edit)\s+(?:the\s+)?(.+?)(?:'s)?\s+description\s*(?::|\bto\b)\s*:?\s*(.+)$/i, make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { description: clean(m[2]) } }) },
  { re: /^(?:update|change|set|edit)\s+(?:the\s+)?description\s+(?:of|for|on)\s+(.+?)\s*(?::|\bto\b)\s*:?\s*(.+)$/i, make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { description: clean(m[2]) } }) },
  { re: /^(?:how\s+do\s+i\s+(?:use|work\s+with)|help\s+(?:with|on))\s+(?:the\s+)?(tasks?|plans?|flows?|snapshots?|docs|documents|context)\??$/i, make: (m) => ({ kind: 'help', text: '' }) },
  { re: /^(?:open|read|show(?:\s+me)?|cat)\s+(?:the\s+)?(?:doc(?:ument)?\s+|file\s+|note\s+)?([\w./-]+\.md)$/i, make: (m) => ({ noun: 'doc', verb: 'read', positionals: [m[1]!] }) },
  // index all markdown files under docs (for search)
  { re: /^index\s+(?:all\s+)?(?:the\s+)?(?:markdown|md|\.md)\s+(?:files|docs|documents|notes)\s+(?:in|under|inside|from)\s+(?:the\s+)?([\w.-]+(?:\/[\w.-]+)*)\/?(?:\s+(?:folder|dir(?:ectory)?))?(?:\s+(?:for|so)\s+.*)?$/i, make: (m) => ({ noun: 'doc', verb: 'index', positionals: [`${m[1]}/**/*.md`] }) },
  { re: /^index\s+(\S*[*/.]\S*)(?:\s+.*)?$/i, make: (m) => ({ noun: 'doc', verb: 'index', positionals: [m[1]!] }) },
  { re: new RegExp(`^(?:write|create|save)\\s+(?:a\\s+)?(?:doc(?:ument)?|note)\\s+(?:at|to|in|called)?\\s*([\\w./-]+\\.md)\\s+(?:saying|with|containing|that\\s+says)\\s*:?\\s*(${PH}|.+)$`, 'i'), make: (m) => ({ noun: 'doc', verb: 'write', positionals: [m[1]!, m[2]!] }) },
  { re: /^(?:how\s+do\s+(?:the\s+)?(tasks?|plans?|flows?|snapshots?|docs?|context)\s+commands\s+work(?:\s+again)?|what\s+commands\s+(?:are\s+there|do\s+you\s+(?:have|know))|list\s+(?:the\s+)?commands)\??$/i, make: () => ({ kind: 'help', text: '' }) },
  { re: /^(?:give\s+me\s+)?(?:an?\s+)?(?:overview|summary|rundown)\s+of\s+(?:this|the\s+current)\s+flow\b.*$|^(?:show|how'?s)\s+(?:me\s+)?(?:this|the\s+current)\s+flow(?:\s+doing)?$/i, make: () => ({ noun: 'flow', verb: 'show', positionals: [] }) },
  { re: /^(?:show|open|print)\s+(?:me\s+)?(?:the\s+)?(?:config|configuration|settings)$/i, make: () => ({ noun: 'config', verb: 'show' }) },
  // one plan's or flow's details: show the auth plan; show plan auth
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about)\s+(?:the\s+)?(.+?)\s+(plan|flow)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'show', positionals: [clean(m[1])] }) },
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about)\s+(?:the\s+)?(plan|flow)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'show', positionals: [clean(m[2])] }) },
  // one task's details: show the refund task; tell me about X; what is X waiting on
  { re: /^(?:show(?:\s+me)?|tell\s+me\s+about|details\s+(?:of|for|on))\s+(?:the\s+)?(?:task\s+)?(.+)$|^what\s+is\s+(.+?)\s+waiting\s+(?:on|for)$/i, make: (m) => ({ noun: 'task', verb: 'show', positionals: [clean(m[1] ?? m[2])] }) },
  // deleting: read, but never run without --confirm
  { re: /^(?:delete|remove)\s+(?:the\s+)?(?:doc(?:ument)?|note|file)\s+([\w./-]+\.md)$/i, make: (m) => ({ noun: 'doc', verb: 'delete', positionals: [m[1]!] }) },
  { re: /^(?:delete|remove)\s+(?:the\s+)?(.+?)\s+(task|plan|flow)$/i, make: (m) => ({ noun: m[2]!.toLowerCase() as Noun, verb: 'delete', positionals: [clean(m[1])] }) },
  { re: /^(?:delete|remove)\s+(task|plan|flow)\s+(.+)$/i, make: (m) => ({ noun: m[1]!.toLowerCase() as Noun, verb: 'delete', positionals: [clean(m[2])] }) },
  { re: /^(?:delete|remove)\s+(?:the\s+)?(.+)$/i, make: (m) => ({ noun: 'task', verb: 'delete', positionals: [clean(m[1])] }) },
  { re: /^rename\s+(?:the\s+)?(.+?)\s+(?:to|as)\s+(.+)$/i, make: (m) => ({ noun: 'task', verb: 'rename', positionals: [clean(m[1]), newTitle(m[2]!)] }) },
  { re: /^(?:help|what\s+can\s+you\s+do|commands)$/i, make: () => ({ kind: 'help', text: '' }) },
];
