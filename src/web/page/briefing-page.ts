// A flow's memory for a person: the resume briefing an assistant gets when it starts (rendered as safe
// markdown), then the decisions (what and why), open questions and next steps from context.json.
import { get, Refused } from './api.js';
import { clear, h } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { unreadable } from './unreadable.js';

interface Item {
  id: string;
  text: string;
}
interface Briefing {
  resume: { text: string; tokens: number };
  context: {
    flow: { id: string; name: string };
    summary: Item | null;
    decisions: { id: string; what: string; why?: string; at: string }[];
    decisions_total: number;
    questions: Item[];
    next_steps: Item[];
  };
}

const list = (items: HTMLElement[]) => (items.length ? h('ul', {}, ...items) : h('p', { class: 'none' }, 'none'));

export async function renderBriefingPage(root: HTMLElement, flow: string | null): Promise<void> {
  clear(root);
  root.append(h('p', {}, 'Loading…'));
  let b: Briefing;
  try {
    b = await get<Briefing>(`/api/briefing${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`);
  } catch (e) {
    if (!flow && e instanceof Refused && e.error.code === 'no_current')
      return unreadable(root, e, 'No flow yet', 'No flow yet, so there is no briefing: an assistant, or `flowmcp flow create <name>`, starts one.');
    return unreadable(root, e, 'The briefing could not be read', e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`);
  }
  const c = b.context;
  clear(root);
  root.append(
    h('h2', { tabindex: '-1' }, `Briefing: ${c.flow.name}`),
    h(
      'section',
      { 'aria-labelledby': 'h-decisions' },
      h('h3', { id: 'h-decisions' }, `Decisions (${c.decisions_total})`),
      list(c.decisions.map((d) => h('li', {}, h('strong', {}, d.what), d.why ? ` — ${d.why}` : '', ' ', h('time', { datetime: d.at, class: 'none' }, d.at.slice(0, 10))))),
    ),
    h('section', { 'aria-labelledby': 'h-questions' }, h('h3', { id: 'h-questions' }, 'Open questions'), list(c.questions.map((q) => h('li', {}, q.text)))),
    h('section', { 'aria-labelledby': 'h-next' }, h('h3', { id: 'h-next' }, 'Next steps'), list(c.next_steps.map((q) => h('li', {}, q.text)))),
    h(
      'section',
      { 'aria-labelledby': 'h-resume' },
      h('h3', { id: 'h-resume' }, `What a new assistant session is told (${b.resume.tokens} tokens)`),
      h('div', { class: 'description' }, renderMarkdown(b.resume.text)),
    ),
  );
}
