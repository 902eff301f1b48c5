// Readable terminal output for results: ONE renderer for every command (tools, /flow, import, recover).
// Every nested section is labeled with its key; an entity (an object with an id: a task, a flow…)
// prints as the same labeled block wherever it appears; a list of rows prints as a labeled table with
// one column set per kind of row; an empty list or missing value says `name: (none)`. Widths are
// display widths (string-width), so Korean titles line up.
import stringWidth from 'string-width';
import { printable } from '../model/error-text.js';

const MAX_CELL = 60;
const NONE = '(none)';

/**
 * Printable ASCII is one column a character, as string-width says too; only other text goes through
 * it. Why: string-width, and the grapheme segmenter clip() uses, each make an Intl.Segmenter, which
 * loads ICU's break rules (~10 ms of a command's start): the build defers string-width to its first
 * use (scripts/build.mjs), and most output never needs either.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
export function displayWidth(s: string): number {
  return PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s);
}

let graphemes: Intl.Segmenter | undefined;

function clip(s: string, max = MAX_CELL): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const { segment } of (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(s)) {
    const cw = displayWidth(segment);
    if (w + cw > max - 1) break;
    out += segment;
    w += cw;
  }
  return out + '…';
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** Fields that hold a percent (0-100): shown with their unit, `62%`, wherever they appear. */
const PERCENT = new Set(['progress']);

/** A field's value as text, with its unit when it has one. */
function valueOf(key: string, v: unknown): string {
  return PERCENT.has(key) && typeof v === 'number' ? `${v}%` : cell(v);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cell).join(',');
  if (typeof v === 'object') return Object.entries(v).map(([a, b]) => `${a}=${cell(b)}`).join(' ');
  return printable(String(v)).replace(/\s+/g, ' ');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n');
}

type Row = Record<string, unknown>;
const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
/** An entity: something with an id (a task, a flow, a plan, a snapshot, a document). */
const isEntity = (v: Row) => typeof v.id === 'string';
/** A small record of scalars (counts, totals): one line, `a=1 b=2`. */
const isFlat = (v: Row) => !isEntity(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

const TASK_COLUMNS = ['id', 'title', 'status', 'priority', 'plan_id', 'waiting_on_count', 'claimed_by'];
/** The columns of each kind of row, by the list's key: a task row is the same in every task list. */
const LIST_COLUMNS: Record<string, string[]> = {
  flows: ['id', 'name', 'status', 'progress', 'updated_at'],
  plans: ['position', 'id', 'title', 'status', 'tasks', 'progress'],
  tasks: TASK_COLUMNS,
  also_ready: TASK_COLUMNS,
  events: ['seq', 'at', 'agent', 'action', 'entity_id', 'summary'],
  documents: ['path', 'source', 'title', 'size', 'orphaned_at'],
  results: ['score', 'matched', 'kind', 'id', 'path', 'heading', 'title'],
  changed: ['id', 'title', 'field', 'before', 'after'],
};

/** A deleted document says which of the two a path can name it was. */
const DELETED_SOURCE: Record<string, string> = {
  flow: ', the flow document in .flow/documents/',
  project: ', the project file: out of the search index, the file itself is kept',
};

// Text shown here may come from anyone who could write to .flow/ or the project (a cloned repository's
// flow.db, an imported file, a document): each result, table and refusal goes out printable().
export function table(rows: Row[], columns?: string[]): string {
  return printable(rowsTable(rows, columns));
}

function rowsTable(rows: Row[], columns?: string[]): string {
  if (rows.length === 0) return NONE;
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  const cols = columns ? columns.filter((c) => present.has(c)) : [...present];
  const cells = rows.map((r) => cols.map((c) => clip(valueOf(c, r[c]))));
  const widths = cols.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i]!)).join('  ').trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Diff rows carry `fields: {name: [before, after]}`: one table row per changed field, not a JSON cell. */
function expandChanged(rows: Row[]): Row[] {
  if (!rows.some((r) => isObject(r.fields))) return rows;
  return rows.flatMap((r) => {
    const { fields, ...rest } = r;
    const entries = isObject(fields) ? Object.entries(fields) : [];
    if (entries.length === 0) return [rest];
    return entries.map(([field, pair], i) => {
      const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
      return { ...(i === 0 ? rest : {}), field, before, after };
    });
  });
}

/**
 * Search hits, one to a line and not a table: the score, then where the hit is (a file and the section's
 * heading path, lines too; else the kind, id and title), then its id and which halves found it; its
 * snippet whole on the line below (cut around the words found; a table cell showed only the lead-in).
 * A table of seven columns ran to 130–250 characters and said the title twice beside the heading.
 */
function withSnippets(rows: Row[]): string {
  const scores = rows.map((r) => cell(r.score));
  const width = Math.max(...scores.map(displayWidth));
  return rows
    .flatMap((r, i) => {
      const lines = Array.isArray(r.lines) && r.lines.length === 2 ? `:${cell(r.lines[0])}${r.lines[1] !== r.lines[0] ? `-${cell(r.lines[1])}` : ''}` : '';
      const where = isEmpty(r.path)
        ? `${cell(r.kind)} ${cell(r.id)}${isEmpty(r.title) ? '' : ` "${cell(r.title)}"`}${isEmpty(r.status) ? '' : ` (${cell(r.status)})`}`
        : `${cell(r.path)}${lines}${isEmpty(r.heading) ? (isEmpty(r.title) ? '' : ` › ${cell(r.title)}`) : ` › ${cell(r.heading)}`}`;
      const found = isEmpty(r.matched) ? '' : ` · ${cell(r.matched).replace(/,/g, '+')}`;
      const head = `${pad(scores[i]!, width)}  ${where}${isEmpty(r.path) ? '' : ` · ${cell(r.id)}`}${found}`;
      return isEmpty(r.snippet) ? [head] : [head, `${' '.repeat(width + 2)}${String(r.snippet)}`];
    })
    .join('\n');
}

function listSection(key: string, rows: Row[]): string[] {
  if (rows.length === 0) return [`${key}: ${NONE}`];
  const body = key === 'changed' ? table(expandChanged(rows), LIST_COLUMNS.changed) : key === 'results' ? withSnippets(rows) : table(rows, LIST_COLUMNS[key]);
  return [`${key}:`, indent(body)];
}

/**
 * The lines of one object's fields. In an entity block empty fields are left out (a task shows what it
 * has); in a result section every field shows, empty ones as `(none)`, so a person sees what was counted.
 */
function fields(obj: Row, entity: boolean): string[] {
  const entries = Object.entries(obj).filter(([k, v]) => k !== 'action' && v !== undefined && !(entity && isEmpty(v)));
  // A result's `reason` (why nothing is ready) is a sentence; a record's `reason` (why a snapshot was
  // taken) is one of its fields, labeled and aligned like the others, as `snapshot list` heads it.
  const special = new Set(['next_cursor', 'current', 'deleted', 'warnings', 'notes', ...(entity ? [] : ['reason'])]);
  const inline = entries.filter(([k, v]) => !special.has(k) && (!isObject(v) || isFlat(v)) && !(typeof v === 'string' && v.includes('\n')));
  const keyWidth = Math.max(0, ...inline.filter(([, v]) => !Array.isArray(v) || v.every((x) => !isObject(x))).map(([k]) => displayWidth(k)));
  const label = (k: string) => pad(k + ':', keyWidth + 1);
  const lines: string[] = [];
  for (const [key, value] of entries) {
    if (key === 'next_cursor') {
      if (value) lines.push(`more: add --cursor ${String(value)}`);
    } else if (key === 'current' && isObject(value)) {
      lines.push(`current: flow ${String(value.flow_id ?? NONE)}, plan ${String(value.plan_id ?? NONE)}`);
    } else if (key === 'deleted' && isObject(value) && value.kind) {
      const d = value;
      lines.push(`deleted ${String(d.kind)} ${String(d.id)} ("${String(d.title)}")${d.tasks !== undefined ? `, ${String(d.tasks)} tasks` : ''}${DELETED_SOURCE[String(d.source)] ?? ''}`);
    } else if (key === 'warnings' || key === 'notes' || (key === 'reason' && !entity)) {
      for (const w of Array.isArray(value) ? value : [value]) lines.push(`${key === 'warnings' ? 'warning' : 'note'}: ${String(w)}`);
    } else if (Array.isArray(value)) {
      if (value.some(isObject)) lines.push(...listSection(key, value as Row[]));
      else lines.push(`${label(key)} ${value.length ? value.map((x) => cell(x)).join(', ') : NONE}`);
    } else if (isObject(value)) {
      if (Object.keys(value).length === 0) lines.push(`${label(key)} ${NONE}`);
      else if (isFlat(value)) lines.push(`${label(key)} ${flatLine(value)}`);
      else lines.push(`${key}:`, indent(fields(value, isEntity(value)).join('\n')));
    } else if (typeof value === 'string' && value.includes('\n')) {
      lines.push(`${key}:`, indent(value));
    } else {
      lines.push(`${label(key)} ${isEmpty(value) ? NONE : valueOf(key, value)}`);
    }
  }
  return lines;
}

function flatLine(obj: Row): string {
  return Object.entries(obj)
    .map(([k, v]) => {
      const s = v === null || v === undefined || v === '' ? '-' : valueOf(k, v);
      return `${k}=${/\s/.test(s) ? JSON.stringify(s) : s}`;
    })
    .join(' ');
}

/** Human text for one successful result object (a tool's, a /flow command's, import's, recover's). */
export function renderResult(result: Record<string, unknown>): string {
  return printable(resultText(result));
}

function resultText(result: Record<string, unknown>): string {
  // /flow help is the whole answer: as written.
  if (typeof result.help === 'string' && Object.keys(result).length === 1) return result.help;
  // A /flow command that ran: what ran, then the tool's own result as if that tool had been called,
  // so a task from `/flow next` prints exactly as `flowmcp task next` prints it.
  if (typeof result.command === 'string' && isObject(result.result) && !('dry_run' in result) && !('changed' in result)) {
    const { result: inner, ...outer } = result;
    return [...fields(outer, false), ...answerLines(inner)].join('\n');
  }
  return answerLines(result).join('\n');
}

/**
 * `task next` / `task claim` (and `/flow next`) with nothing ready: not a failure and not an empty
 * record, but one sentence saying why nothing is ready and what to do, the same for all of them.
 */
function answerLines(result: Row): string[] {
  if (result.task === null && typeof result.reason === 'string') return [result.reason];
  return fields(diffView(result) ?? result, false);
}

/**
 * A snapshot diff as a person reads it: each kind that changed in full, the kinds that did not named on
 * one line, then the prose summary (`text`). Five kinds of "(none)" rows around one added task made ~45
 * lines; --json keeps every kind's totals.
 */
function diffView(result: Row): Row | undefined {
  if (!('from' in result) || !('to' in result) || typeof result.text !== 'string') return undefined;
  const out: Row = {};
  const unchanged: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (isObject(value) && isObject(value.totals) && Object.values(value.totals).every((n) => n === 0)) unchanged.push(key);
    else if (key !== 'text') out[key] = value;
  }
  if (unchanged.length) out.unchanged = unchanged;
  out.text = result.text;
  return out;
}

export function renderError(error: { message: string; hint?: string }): string {
  return printable(`error: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`);
}
