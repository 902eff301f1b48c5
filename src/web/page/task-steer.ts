// Steering one task from its page, each through one task tool action (POST /api/task/<action>): what it
// waits for (a task of its flow picked by title from a filterable list, or a link removed by its button),
// which plan of its flow it is in, and a claim an agent holds given back (named, after a confirm step in
// the page: the agent may still be working). A refusal (a cycle, a task or plan gone, another flow, a
// claim that changed hands) is said in words that say what to do; the server changed nothing.
import { get, Refused, send } from './api.js';
import { h, visibleText } from './dom.js';
import { oneWrite } from './one-write.js';
import { claimLive, leaseLeft, STATUS_LABEL, type Plan, type Ref, type Status, type Task, type TaskDetail, type TaskRow } from './types.js';

/** The flow's plans and tasks, to choose from. */
export interface FlowParts {
  plans: Plan[];
  tasks: TaskRow[];
}

export interface SteerHooks {
  /** A change went through: said in `words`; the page is drawn again (resolves when it is) and focus goes to `focus` (an element id). */
  done(t: Task, words: string, focus: string): Promise<void>;
  /** Refused (or nothing to do): said in `words` (the server's own message when undefined); the page is drawn again as stored. */
  refused(e: unknown, words: string | undefined, focus: string): Promise<void>;
}

/** Most tasks the dependency list shows at once (the rest are counted: typing narrows). */
const SHOWN = 8;

/** The text typed in the dependency filter, by task: kept when the page is drawn again (a live change). */
let typed: { id: string; text: string } | undefined;

const code = (e: unknown) => (e instanceof Refused ? e.error.code : undefined);

/** Says why a dependency was not added, or undefined for a refusal these words do not cover. */
function dependRefusal(e: unknown, task: string, dep: string, titleOf: (id: string) => string): string | undefined {
  if (code(e) === 'cycle') {
    const cycle = ((e as Refused).error.details?.cycle as string[] | undefined) ?? [];
    if (cycle.length < 2) return 'Not added: a task cannot wait for itself. Nothing was changed.';
    return (
      `Not added: "${task}" cannot wait for "${dep}", because "${dep}" already waits for it (${cycle.map(titleOf).join(' → ')}: each waits for the next), ` +
      'so neither could ever start. Nothing was changed. To make it wait anyway, first remove one link of that chain on its task page; or pick another task.'
    );
  }
  if (code(e) === 'not_found') return `Not added: "${dep}" no longer exists (deleted meanwhile?). Nothing was changed. Pick another task from the list.`;
  if (code(e) === 'invalid_input' && /another flow/.test((e as Refused).error.message))
    return `Not added: "${dep}" is in another flow, and a task can wait only for tasks of its own flow. Nothing was changed. Pick a task of this flow.`;
  return undefined;
}

/** The list of what the task waits for, each with a button that removes that link. */
export function waitsFor(t: Task, refs: Ref[], s: SteerHooks): HTMLElement {
  const remove = (r: Ref) =>
    oneWrite(() =>
    send<{ task: Task }>('POST', '/api/task/undepend', { id: t.id, depends_on: [r.id] }).then(
      (out) => s.done(out.task, `"${t.title}" no longer waits for "${r.title}".`, 'dep-find'),
      (e: unknown) =>
        s.refused(
          e,
          code(e) === 'not_found' && /does not depend on/.test((e as Refused).error.message)
            ? `Nothing to remove: "${t.title}" no longer waits for "${r.title}" (someone removed that link meanwhile). The page shows what it waits for now.`
            : undefined,
          'dep-find',
        ),
      ),
    );
  return h(
    'div',
    { class: 'deps' },
    h('h3', {}, 'Waits for'),
    refs.length
      ? h(
          'ul',
          {},
          ...refs.map((r) => {
            const button = h('button', { type: 'button', class: 'secondary small', 'data-remove': r.id, 'aria-label': visibleText(`Remove: stop waiting for ${r.title}`) }, 'Remove');
            button.addEventListener('click', () => remove(r));
            return h('li', {}, h('a', { href: `#/task/${encodeURIComponent(r.id)}` }, r.title), ' ', h('span', { class: `badge status-${r.status}` }, STATUS_LABEL[r.status as Status] ?? r.status), ' ', button);
          }),
        )
      : h('p', { class: 'none' }, 'none'),
  );
}

/**
 * Adding a dependency: a search box over the flow's other tasks (title or id), the matches as buttons
 * (title, id, status); pressing one makes this task wait for it.
 */
export function dependencyPicker(t: Task, refs: Ref[], parts: FlowParts | undefined, s: SteerHooks): HTMLElement {
  const box = h('section', { class: 'steer', 'aria-labelledby': 'h-dep-add' }, h('h3', { id: 'h-dep-add' }, 'Add a dependency'));
  if (!parts) {
    box.append(h('p', { class: 'none' }, "The flow's tasks could not be read: reload the page to add a dependency."));
    return box;
  }
  const have = new Set([t.id, ...refs.map((r) => r.id)]);
  const pool = parts.tasks.filter((x) => !have.has(x.id));
  const titles = new Map(parts.tasks.map((x) => [x.id, x.title]));
  titles.set(t.id, t.title);
  const titleOf = (id: string) => `"${titles.get(id) ?? id}"`;
  const input = h('input', { id: 'dep-find', type: 'search', autocomplete: 'off', placeholder: 'part of a title or id', 'aria-controls': 'dep-choices', 'aria-describedby': 'dep-count' });
  if (typed?.id === t.id) input.value = typed.text;
  const list = h('ul', { id: 'dep-choices', class: 'choices' });
  const count = h('p', { id: 'dep-count', class: 'none', 'aria-live': 'polite' });
  const add = (x: TaskRow) => {
    typed = undefined;
    oneWrite(() =>
      send<{ task: Task }>('POST', '/api/task/depend', { id: t.id, depends_on: [x.id] }).then(
        (out) => s.done(out.task, `"${t.title}" now waits for "${x.title}".`, 'dep-find'),
        (e: unknown) => s.refused(e, dependRefusal(e, t.title, x.title, titleOf), 'dep-find'),
      ),
    );
  };
  const draw = () => {
    const q = input.value.trim().toLowerCase();
    typed = { id: t.id, text: input.value };
    const hits = q ? pool.filter((x) => x.title.toLowerCase().includes(q) || x.id.toLowerCase().includes(q)) : pool;
    list.replaceChildren(
      ...hits.slice(0, SHOWN).map((x) => {
        const b = h('button', { type: 'button', class: 'secondary choice', 'data-id': x.id }, h('span', { class: 'choice-title' }, x.title), ' ', h('span', { class: 'none' }, x.id), ' ', h('span', { class: `badge status-${x.status}` }, STATUS_LABEL[x.status]));
        b.addEventListener('click', () => add(x));
        return h('li', {}, b);
      }),
    );
    count.textContent = !pool.length
      ? 'No other task in this flow to wait for.'
      : !hits.length
      ? 'No task of this flow matches.'
      : hits.length > SHOWN
      ? `${hits.length} tasks match; the first ${SHOWN} are shown: type more of a title to narrow.`
      : `${hits.length} task${hits.length === 1 ? '' : 's'} ${q ? 'match' : 'to choose from'}: press one to make this task wait for it.`;
  };
  input.addEventListener('input', draw);
  draw();
  box.append(h('label', { for: 'dep-find' }, 'Wait for a task of this flow (find it by title or id)'), ' ', input, count, list);
  return box;
}

/** Moving the task to another plan of its flow: a select of the flow's plans and a Move button. */
export function planMover(t: Task, parts: FlowParts | undefined, s: SteerHooks): HTMLElement {
  const plans = parts?.plans ?? [];
  const here = plans.find((p) => p.id === t.plan_id);
  const select = h(
    'select',
    { id: 'task-plan' },
    ...(here ? [] : [h('option', { value: t.plan_id, selected: true }, t.plan_id)]),
    ...plans.map((p) => h('option', { value: p.id, selected: p.id === t.plan_id }, p.title)),
  );
  const form = h('form', { class: 'steer-row', 'aria-label': 'Move to another plan' }, h('label', { for: 'task-plan' }, 'Move it to plan'), ' ', select, ' ', h('button', { type: 'submit' }, 'Move'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = plans.find((p) => p.id === select.value);
    if (!to || to.id === t.plan_id) return s.refused(undefined, `Not moved: "${t.title}" is already in plan "${here?.title ?? t.plan_id}". Choose another plan, then Move.`, 'task-plan');
    oneWrite(() =>
      send<{ task: Task }>('POST', '/api/task/move', { id: t.id, plan_id: to.id }).then(
        (out) => s.done(out.task, `Moved "${t.title}" to plan "${to.title}".`, 'task-plan'),
        (e: unknown) =>
          s.refused(e, code(e) === 'not_found' ? `Not moved: plan "${to.title}" or this task no longer exists (deleted meanwhile?). Nothing was changed. Choose another plan.` : undefined, 'task-plan'),
      ),
    );
  });
  return h('section', { class: 'steer', 'aria-labelledby': 'h-plan' }, h('h3', { id: 'h-plan' }, 'Plan'), form);
}

const heldWords = (agent: string, until: string) => `Held by ${agent} until ${until.replace('T', ' ').slice(0, 19)} UTC (${leaseLeft(until)}).`;
const ranOut = (agent: string) => `${agent}'s claim ran out: nobody holds it; any agent may take it.`;

/**
 * The claim section counted down against the server's clock (every second, with the board's claims):
 * once the lease ran out the claim is said to have run out and the release is no longer offered (it
 * would release nothing, and say it had).
 */
export function tickClaimControl(): void {
  const el = document.getElementById('claim-state');
  const until = el?.dataset.until;
  if (!el?.isConnected || !until) return;
  const agent = el.dataset.agent ?? '';
  if (claimLive(until)) {
    const words = visibleText(heldWords(agent, until));
    if (el.textContent !== words) el.textContent = words;
    return;
  }
  const hadFocus = el.parentElement?.contains(document.activeElement) ?? false;
  delete el.dataset.until;
  el.textContent = visibleText(ranOut(agent));
  document.getElementById('release')?.remove();
  document.getElementById('release-step')?.remove();
  if (hadFocus) el.focus();
}

/**
 * The claim: who holds it, and a button that gives it back for them. The holder may still be working,
 * so the button first asks (in the page) and only "Yes, release" sends; the release names the holder
 * shown, and is refused if the claim changed hands meanwhile.
 */
export function claimControl(t: Task, s: SteerHooks): HTMLElement {
  const section = h('section', { class: 'steer', 'aria-labelledby': 'h-claim' }, h('h3', { id: 'h-claim' }, 'Claim'));
  const claim = t.claim;
  if (!claim?.active || !claimLive(claim.expires_at)) {
    section.append(h('p', { id: 'claim-state', tabindex: '-1' }, claim ? ranOut(claim.agent) : 'Not claimed: no agent holds it.'));
    return section;
  }
  const agent = claim.agent;
  const state = h('p', { id: 'claim-state', tabindex: '-1', 'data-agent': agent, 'data-until': claim.expires_at }, heldWords(agent, claim.expires_at));
  const ask = h('button', { type: 'button', id: 'release', class: 'secondary' }, `Release ${agent}'s claim…`);
  const step = h('div', { class: 'confirm', id: 'release-step', hidden: true });
  const yes = h('button', { type: 'button', id: 'release-confirm' }, `Yes, release ${agent}'s claim`);
  const no = h('button', { type: 'button', id: 'release-cancel', class: 'secondary' }, 'Keep the claim');
  step.append(
    h('p', { id: 'release-why' }, `${agent} may still be working on this task. Releasing lets any agent take it${t.status === 'in_progress' ? ' and puts it back to To do' : ''}; if ${agent} is still at it, it will find its claim gone.`),
    yes,
    ' ',
    no,
  );
  yes.setAttribute('aria-describedby', 'release-why');
  const back = () => {
    step.hidden = true;
    ask.hidden = false;
    ask.focus();
  };
  ask.addEventListener('click', () => {
    ask.hidden = true;
    step.hidden = false;
    yes.focus();
  });
  no.addEventListener('click', back);
  step.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') back();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true; // seen at once; oneWrite also ignores the page's other writes meanwhile
    oneWrite(() =>
      send<{ task: Task; reason?: string }>('POST', '/api/task/release', { id: t.id, agent }).then(
        (out) =>
          out.reason
            ? s.refused(undefined, `Nothing to release: "${t.title}" was no longer claimed (${agent} gave it back, or someone released it meanwhile). Nothing was changed.`, 'claim-state')
            : s.done(out.task, `Released ${agent}'s claim on "${t.title}": any agent may take it now${out.task.status !== t.status ? ` (it is ${STATUS_LABEL[out.task.status]} again)` : ''}.`, 'claim-state'),
        async (e: unknown) => {
          if (code(e) !== 'claimed') return s.refused(e, undefined, 'claim-state');
          // Who holds it now (the refusal names them too, but read as stored, so the words match the page drawn next).
          const now = await get<TaskDetail>(`/api/task?id=${encodeURIComponent(t.id)}`).then(
            (d) => (d.task.claim?.active ? d.task.claim.agent : undefined),
            () => undefined,
          );
          return s.refused(
            e,
            `Not released: "${t.title}" is now held by ${now ?? 'another agent'}, not ${agent} as the page showed: the claim changed hands meanwhile. Nothing was changed. The page shows the claim as it is now; release that one only if it is stuck too.`,
            'claim-state',
          );
        },
      ),
    );
  });
  section.append(state, ask, step);
  return section;
}
