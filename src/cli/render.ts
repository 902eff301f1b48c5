// Readable terminal output for tool results: a block for one entity, a table for a list.
// Column widths count East Asian wide characters as two cells so Korean titles line up.

const MAX_CELL = 60;

function cellWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  return (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff)
    ? 2
    : 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += cellWidth(ch);
  return w;
}

function clip(s: string, max = MAX_CELL): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    if (w + cellWidth(ch) > max - 1) break;
    out += ch;
    w += cellWidth(ch);
  }
  return out + '…';
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/\s+/g, ' ');
}

export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => clip(cell(r[c]))));
  const widths = cols.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i]!)).join('  ').trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

function block(obj: Record<string, unknown>): string {
  const lines: string[] = [];
  const keyWidth = Math.max(...Object.keys(obj).map((k) => k.length));
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      lines.push(`${k}:`, indent(table(v as Record<string, unknown>[])));
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`${pad(k + ':', keyWidth + 1)} ${Object.entries(v).map(([a, b]) => `${a}=${cell(b)}`).join(' ')}`);
    } else if (typeof v === 'string' && v.includes('\n')) {
      lines.push(`${k}:`, indent(v));
    } else {
      lines.push(`${pad(k + ':', keyWidth + 1)} ${cell(v)}`);
    }
  }
  return lines.join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n');
}

const LIST_COLUMNS: Record<string, string[]> = {
  flows: ['id', 'name', 'status', 'progress', 'updated_at'],
  plans: ['position', 'id', 'title', 'status', 'tasks', 'progress'],
  tasks: ['id', 'title', 'status', 'priority', 'plan_id', 'waiting_on', 'claimed_by'],
  also_ready: ['id', 'title', 'priority', 'plan_id'],
  events: ['seq', 'at', 'agent', 'action', 'entity_id', 'summary'],
  documents: ['path', 'source', 'title', 'size', 'orphaned_at'],
  results: ['score', 'kind', 'id', 'path', 'title', 'snippet'],
};

/** Human text for one successful result object. */
export function renderResult(result: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (key === 'action' || value === undefined) continue;
    if (key === 'next_cursor') {
      if (value) out.push(`more: add --cursor ${String(value)}`);
    } else if (key === 'current') {
      const c = value as { flow_id: string | null; plan_id: string | null };
      out.push(`current: flow ${c.flow_id ?? '(none)'}, plan ${c.plan_id ?? '(none)'}`);
    } else if (key === 'deleted') {
      const d = value as Record<string, unknown>;
      out.push(`deleted ${String(d.kind)} ${String(d.id)} ("${String(d.title)}")${d.tasks !== undefined ? `, ${String(d.tasks)} tasks` : ''}`);
    } else if (key === 'warnings' || key === 'reason') {
      for (const w of Array.isArray(value) ? value : [value]) out.push(`${key === 'warnings' ? 'warning' : 'note'}: ${String(w)}`);
    } else if (Array.isArray(value) && (value.length === 0 || typeof value[0] === 'object')) {
      out.push(table(value as Record<string, unknown>[], LIST_COLUMNS[key]));
    } else if (typeof value === 'string' && value.includes('\n')) {
      out.push(value); // a briefing or other prose: as written
    } else if (value === null && key === 'task') {
      continue;
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out.push(block(value as Record<string, unknown>));
    } else {
      out.push(`${key}: ${cell(value)}`);
    }
  }
  return out.join('\n');
}

export function renderError(error: { message: string; hint?: string }): string {
  return `error: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`;
}
