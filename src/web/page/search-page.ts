// Search across documents, tasks, plans and context, through the search tool: each hit with its kind,
// title, the heading it matched under and a snippet with the query's words marked (as text: <mark>
// elements around text nodes, never HTML from the snippet; markdown marks stripped, plain-text.ts).
import { get } from './api.js';
import { clear, h, type Child } from './dom.js';
import { plainSnippet } from './plain-text.js';

interface Hit {
  kind: string;
  id: string;
  title: string;
  path?: string;
  heading?: string;
  status?: string;
  snippet: string;
  /** Which half found it: its words ('text'), its meaning ('vector'), or both. */
  matched?: string[];
  /** Relevance against this search's best hit (1). */
  score?: number;
}

/** The search on screen, for the live updates: once the project changes, its results may be out of date. */
export interface SearchPage {
  /** Says the results may be out of date, with a button to search again (the list itself stays put). */
  stale(): void;
}

/** How a hit was found, in words: a hit found by meaning alone has no word of the question to mark. */
function foundBy(hit: Hit): string {
  const how = hit.matched?.includes('text') ? (hit.matched.includes('vector') ? 'by its words and meaning' : 'by its words') : hit.matched?.includes('vector') ? 'by meaning only (no word of the search in it)' : '';
  const score = typeof hit.score === 'number' ? `relevance ${Math.round(hit.score * 100)}%` : '';
  return [how, score].filter(Boolean).join(' · ');
}

/** A snippet (or a hit's title) with every word of the query marked, case-insensitively. */
export function marked(snippet: string, query: string): Child[] {
  const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length > 1))];
  if (!words.length) return [snippet];
  const lower = snippet.toLowerCase();
  const out: Child[] = [];
  let at = 0;
  while (at < snippet.length) {
    let best = -1;
    let len = 0;
    for (const w of words) {
      const i = lower.indexOf(w, at);
      if (i >= 0 && (best < 0 || i < best || (i === best && w.length > len))) {
        best = i;
        len = w.length;
      }
    }
    if (best < 0) break;
    if (best > at) out.push(snippet.slice(at, best));
    out.push(h('mark', {}, snippet.slice(best, best + len)));
    at = best + len;
  }
  if (at < snippet.length) out.push(snippet.slice(at));
  return out;
}

export function renderSearchPage(root: HTMLElement, flow: string | null, initial: string): SearchPage {
  clear(root);
  const input = h('input', { id: 'search-q', type: 'search', required: true, maxlength: '500', value: initial });
  const kind = h(
    'select',
    { id: 'search-kind' },
    h('option', { value: '' }, 'everything'),
    ...['task', 'document', 'plan', 'context'].map((k) => h('option', { value: k }, k)),
  );
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { role: 'search', 'aria-label': 'Search the project', class: 'create' },
    h('label', { for: 'search-q' }, 'Search'),
    input,
    h('label', { for: 'search-kind' }, 'in'),
    kind,
    // Off by default: project documents (indexed with `document index`) belong to no flow, and a search
    // should find first what `flowmcp search` finds first.
    h('label', {}, h('input', { type: 'checkbox', id: 'search-flow' }), " only this flow's tasks, plans, context and documents"),
    h('button', { type: 'submit' }, 'Search'),
  );
  const run = async () => {
    const q = input.value.trim();
    if (!q) return;
    const onlyFlow = (root.querySelector('#search-flow') as HTMLInputElement).checked;
    clear(results);
    results.append(h('p', {}, 'Searching…'));
    const params = new URLSearchParams({ q, ...(kind.value ? { kind: kind.value } : {}), ...(onlyFlow && flow ? { flow } : {}) });
    const r = await get<{ results: Hit[]; mode: string; notes?: string[] }>(`/api/search?${params}`);
    clear(results);
    staleNote.hidden = true;
    shown = true;
    results.append(h('p', { class: 'none' }, `${r.results.length} result${r.results.length === 1 ? '' : 's'} (${r.mode})`));
    results.append(
      h(
        'ol',
        { class: 'hits' },
        ...r.results.map((hit) =>
          h(
            'li',
            {},
            h('span', { class: 'badge' }, hit.kind),
            ' ',
            // The title marked too: a hit may match by its title alone (its snippet then shows no mark).
            hit.kind === 'task'
              ? h('a', { href: `#/task/${encodeURIComponent(hit.id)}` }, ...marked(hit.title, q))
              : hit.kind === 'document' && hit.path
                ? h('a', { href: `#/doc/${encodeURIComponent(hit.id)}` }, ...marked(hit.title || hit.path, q))
                : h('strong', {}, ...marked(hit.title, q)),
            hit.path ? h('span', { class: 'none' }, ` ${hit.path}`) : null,
            hit.heading ? h('div', { class: 'heading' }, hit.heading) : null,
            h('p', { class: 'snippet' }, ...marked(plainSnippet(hit.snippet), q)),
            foundBy(hit) ? h('div', { class: 'found-by none' }, foundBy(hit)) : null,
          ),
        ),
      ),
    );
    for (const n of r.notes ?? []) results.append(h('p', { class: 'none' }, n));
  };
  const submit = () => {
    history.replaceState(null, '', `#/search?q=${encodeURIComponent(input.value.trim())}`);
    void run().catch((err: unknown) => {
      clear(results);
      results.append(h('p', { role: 'alert' }, (err as Error).message));
    });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  // Results are not redrawn under the person's eyes (a list reordering while it is read loses their
  // place): a change to the project is said, and they search again when they choose.
  let shown = false;
  const again = h('button', { type: 'button', id: 'search-again' }, 'Search again');
  again.addEventListener('click', submit);
  const staleNote = h('p', { id: 'search-stale', class: 'notice', role: 'status', hidden: true }, 'The project changed since this search. ', again);
  root.append(h('h2', {}, 'Search'), form, staleNote, results);
  // `initial` (from the address) only fills the box; nothing is searched until the person submits.
  return {
    stale: () => {
      if (shown) staleNote.hidden = false;
    },
  };
}
