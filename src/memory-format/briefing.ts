// The `resume` briefing: what a new assistant session needs to pick the work up, in plain markdown,
// inside a token budget. The flow, its plan, the tasks in progress and the next ready ones always
// fit (titles are shortened if need be); then the latest summary (at most 30% of the budget); then the
// newest few next steps and open questions (what to do and what to ask: a briefing at a small budget
// that kept 30 decisions and dropped the one next step had lost the point); then decisions, questions,
// next steps, insights and preferences, newest first, until the budget is used — what is left out is
// the least recent, and the briefing says how much and where to find it.
import { clip } from '../model/error-text.js';
import { counted } from '../model/counted.js';
import { estimateTokens } from './tokens.js';

interface Item {
  id: string;
  text: string;
  why?: string;
  at: string;
}

export interface BriefingInput {
  flow: { id: string; name: string };
  plan?: { id: string; title: string; done: number; total: number };
  /** Tasks of the whole flow: said beside the plan's when the flow has work outside it. */
  flowTasks?: { done: number; total: number };
  /** Blocked tasks of the flow (the first few) and how many there are. */
  blocked?: { tasks: { id: string; title: string }[]; total: number };
  /** claim_ran_out: its claim's lease ended (nobody holds it; free to take). */
  inProgress: { id: string; title: string; claimed_by: string | null; claim_ran_out?: boolean }[];
  next: { id: string; title: string; priority: string }[];
  summary?: { text: string; at: string };
  /** Each newest first. */
  decisions: Item[];
  questions: Item[];
  nextSteps: Item[];
  insights: Item[];
  preferences: Item[];
  /** Open entries of a section that were not read (older than every one given), counted as left out. */
  unread?: Partial<Record<Section, number>>;
  files: string[];
}

export interface Briefing {
  text: string;
  tokens: number;
  budget_tokens: number;
  omitted: Record<string, number>;
}

const IN_PROGRESS_SHOWN = 10;
const SUMMARY_SHARE = 0.3;
const TITLE_MAX = 120;
const FILES_SHOWN = 15;
const RESERVE = 40; // the closing "left out" line
/** The newest next steps and open questions placed before every other entry. */
const FIRST_NEXT_STEPS = 5;
const FIRST_QUESTIONS = 3;

/** Text on one line, cut to n characters. */
const oneLine = (s: string, n: number) => clip(s.replace(/\s+/g, ' ').trim(), n);
const day = (at: string) => at.slice(0, 10);

/** Cuts text to about `tokens`, at a sentence or word boundary where one is near. */
function cutTo(text: string, tokens: number): string {
  if (estimateTokens(text) <= tokens) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (estimateTokens(text.slice(0, mid) + '…') <= tokens) lo = mid;
    else hi = mid - 1;
  }
  let cut = text.slice(0, lo);
  const stop = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('\n'));
  if (stop > lo * 0.6) cut = cut.slice(0, stop + 1);
  else if (cut.lastIndexOf(' ') > lo * 0.8) cut = cut.slice(0, cut.lastIndexOf(' '));
  return cut.trimEnd() + '…';
}

type Section = 'decisions' | 'questions' | 'next_steps' | 'insights' | 'preferences';
const HEADINGS: Record<Section, string> = {
  decisions: '## Decisions (newest first)',
  questions: '## Open questions',
  next_steps: '## Next steps',
  insights: '## Insights',
  preferences: '## Preferences',
};

function header(input: BriefingInput, titleMax: number, inProgressN: number, nextN: number): string {
  const head: string[] = [`# Resume: ${oneLine(input.flow.name, titleMax)} (${input.flow.id})`];
  if (input.plan) head.push(`Plan: ${oneLine(input.plan.title, titleMax)} (${input.plan.id}) — ${input.plan.done}/${input.plan.total} tasks done`);
  else head.push('Plan: none active — plan create or plan use to pick one');
  // An empty or small current plan must not read as the flow's state: "0/0 tasks done" with all the
  // work in another plan sent a new session looking in the wrong place.
  const f = input.flowTasks;
  if (f && f.total > (input.plan?.total ?? 0)) head.push(`Flow: ${f.done}/${f.total} tasks done in all its plans (plan list shows them)`);
  const shown = input.inProgress.slice(0, inProgressN);
  head.push(
    shown.length
      ? `In progress:\n${shown.map((t) => `- ${t.id} ${oneLine(t.title, titleMax)}${t.claimed_by ? ` (claimed by ${t.claimed_by})` : t.claim_ran_out ? ' (claim ran out, free to take)' : ''}`).join('\n')}${
          input.inProgress.length > shown.length ? '\n- … more: task list --status in_progress' : ''
        }`
      : 'In progress: nothing',
  );
  const blocked = input.blocked?.tasks.slice(0, nextN) ?? [];
  if (blocked.length) {
    const more = input.blocked!.total - blocked.length;
    head.push(`Blocked:\n${blocked.map((t) => `- ${t.id} ${oneLine(t.title, titleMax)}`).join('\n')}${more > 0 ? `\n- … ${more} more: task list --status blocked` : ''}`);
  }
  const next = input.next.slice(0, nextN);
  head.push(next.length ? `Next ready:\n${next.map((t) => `- ${t.id} [${t.priority}] ${oneLine(t.title, titleMax)}`).join('\n')}` : 'Next ready: nothing (task next explains why)');
  return head.join('\n');
}

// Tighter and tighter headers, for budgets too small for the full one.
const HEADER_SHAPES: [number, number, number][] = [
  [TITLE_MAX, IN_PROGRESS_SHOWN, 5],
  [60, IN_PROGRESS_SHOWN, 5],
  [40, 5, 3],
  [30, 3, 2],
  [20, 2, 1],
];

/** What one entry of each left-out kind is called ("1 decision", "2 next steps"). */
const ENTRY_NOUN: Record<string, string> = { decisions: 'decision', questions: 'question', next_steps: 'next step', insights: 'insight', preferences: 'preference', files: 'file' };

export function buildBriefing(input: BriefingInput, budget: number): Briefing {
  let headText = '';
  for (const [t, ip, nx] of HEADER_SHAPES) {
    headText = header(input, t, ip, nx);
    if (estimateTokens(headText) + RESERVE <= budget) break;
  }
  const head = [headText];
  let used = estimateTokens(headText) + RESERVE;

  let summaryText = '';
  if (input.summary) {
    const room = Math.max(0, Math.min(Math.floor(budget * SUMMARY_SHARE), budget - used - 20));
    const body = cutTo(input.summary.text.trim(), room);
    summaryText = `## Summary (${day(input.summary.at)})\n${body}`;
    used += estimateTokens(summaryText) + 1;
  }

  // Newest first across every kind: what is left out is the least recent. Lines are made only for
  // what fits (a flow may hold thousands of open entries; the budget shows a few hundred at most).
  const pool: { section: Section; at: string; first: boolean; item: Item; line: (i: Item) => string }[] = [];
  const add = (section: Section, items: Item[], line: (i: Item) => string, firstN = 0) => {
    items.forEach((item, i) => pool.push({ section, at: item.at, first: i < firstN, item, line }));
  };
  add('decisions', input.decisions, (d) => `- ${day(d.at)} ${oneLine(d.text, 300)}${d.why ? ` — why: ${oneLine(d.why, 200)}` : ''} (${d.id})`);
  add('questions', input.questions, (q) => `- ${oneLine(q.text, 300)} (${q.id})`, FIRST_QUESTIONS);
  add('next_steps', input.nextSteps, (n) => `- ${oneLine(n.text, 300)} (${n.id})`, FIRST_NEXT_STEPS);
  add('insights', input.insights, (n) => `- ${oneLine(n.text, 300)}`);
  add('preferences', input.preferences, (n) => `- ${oneLine(n.text, 300)}`);
  pool.sort((a, b) => (a.first !== b.first ? (a.first ? -1 : 1) : a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  const kept = new Map<Section, string[]>();
  const omitted: Record<string, number> = {};
  let full = false;
  for (const p of pool) {
    if (!full) {
      const line = p.line(p.item);
      const cost = estimateTokens(line) + 1 + (kept.has(p.section) ? 0 : estimateTokens(HEADINGS[p.section]) + 2);
      if (used + cost <= budget) {
        used += cost;
        const lines = kept.get(p.section);
        if (lines) lines.push(line);
        else kept.set(p.section, [line]);
        continue;
      }
      // Once something is left out, everything older is too; a first next step or question too long
      // to fit is left out alone (the newer entries after it in line still get their turn).
      if (!p.first) full = true;
    }
    omitted[p.section] = (omitted[p.section] ?? 0) + 1;
  }
  for (const [section, n] of Object.entries(input.unread ?? {})) if (n) omitted[section] = (omitted[section] ?? 0) + n;
  let filesLine = '';
  if (input.files.length) {
    const line = `## Files touched\n${input.files.slice(0, FILES_SHOWN).join(', ')}${input.files.length > FILES_SHOWN ? ', …' : ''}`;
    if (!full && used + estimateTokens(line) <= budget) {
      filesLine = line;
      used += estimateTokens(line);
    } else omitted.files = input.files.length;
  }

  const parts = [head.join('\n')];
  if (summaryText) parts.push(summaryText);
  for (const s of Object.keys(HEADINGS) as Section[]) if (kept.has(s)) parts.push(`${HEADINGS[s]}\n${kept.get(s)!.join('\n')}`);
  if (filesLine) parts.push(filesLine);
  const left = Object.entries(omitted);
  if (left.length) parts.push(`(Left out for the ${budget}-token budget: ${left.map(([k, n]) => counted(n, ENTRY_NOUN[k] ?? k)).join(', ')} — context history has them.)`);
  const text = parts.join('\n\n');
  return { text, tokens: estimateTokens(text), budget_tokens: budget, omitted };
}
