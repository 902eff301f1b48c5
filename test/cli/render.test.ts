// Text output of the real binary (#16): every nested section labeled with its key, a task printed as
// the same block wherever it appears, empty lists named, Korean titles lined up by display width.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', env: { ...process.env, FLOW_AGENT: 'render-test' } });
  expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  noBareNone(r.stdout);
  return r.stdout;
}

function json(...args: string[]) {
  return JSON.parse(run(...args, '--json'));
}

/** `(none)` always says what is empty: never a line of its own. */
function noBareNone(out: string) {
  for (const line of out.split('\n')) expect(line, out).not.toMatch(/^\s*\(none\)\s*$/);
}

/** The lines of the labeled block `key:` (the label and everything indented under it). */
function section(out: string, key: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l === `${key}:`);
  expect(start, `no "${key}:" section in\n${out}`).toBeGreaterThanOrEqual(0);
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('  ')) break;
    body.push(l);
  }
  return [lines[start]!, ...body];
}

/** Values that differ on every write, so two prints of one task compare equal. */
const task = (out: string) => section(out, 'task');

describe('CLI text output: labeled sections, one layout per kind of row', () => {
  let first: string;
  let second: string;
  let long: string;

  it('task next labels the task and the also_ready table; /flow next prints the same task block', () => {
    json('flow', 'create', 'Render');
    json('plan', 'create', '배포 준비');
    first = json('task', 'create', '체인지로그 작성', '--priority', 'high').task.id;
    second = json('task', 'create', 'Tag the release').task.id;
    long = json('task', 'create', '아주 긴 한국어 제목: 릴리스 노트를 쓰고 모든 변경 사항을 확인하고 태그를 다는 일').task.id;
    const next = run('task', 'next');
    expect(next).toMatch(/^task:\n {2}id: +\S+/m);
    const ready = section(next, 'also_ready');
    expect(ready[1]).toMatch(/^ {2}ID\s+TITLE\s+STATUS\s+PRIORITY/);
    expect(ready.join('\n')).toContain(second);
    const flowNext = run('run', '/flow next');
    expect(flowNext).toMatch(/^command: +\/flow next$/m);
    expect(task(flowNext)).toEqual(task(next));
    expect(section(flowNext, 'also_ready')).toEqual(ready);
    expect(flowNext).not.toMatch(/id=\S+ flow_id=/); // no longer one long key=value line
  });

  it('/flow add task and /flow done print the task exactly as task get does', () => {
    const added = run('run', '/flow add task "Write tests" --priority urgent');
    const id = /^ {2}id: +(\S+)$/m.exec(task(added).join('\n'))![1]!;
    expect(task(added)).toEqual(task(run('task', 'get', id)));
    expect(task(added).join('\n')).toMatch(/^ {2}priority: +urgent$/m);
    const done = run('run', `/flow done ${id}`);
    expect(task(done)).toEqual(task(run('task', 'get', id)));
    expect(task(done).join('\n')).toMatch(/^ {2}status: +done$/m);
  });

  it('Korean titles: the column after TITLE starts at the same display column in every row, long titles cut by width', () => {
    const out = run('task', 'list');
    const rows = section(out, 'tasks').slice(1);
    const header = rows[0]!;
    const statusCol = stringWidth(header.slice(0, header.indexOf('STATUS')));
    const priorityCol = stringWidth(header.slice(0, header.indexOf('PRIORITY')));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows.slice(1)) {
      const m = /^( {2}t-\S+\s+)(.*?)\s{2,}(todo|done|in_progress)\s+(low|medium|high|urgent)/.exec(row);
      expect(m, row).not.toBeNull();
      const statusAt = stringWidth(row.slice(0, row.indexOf(m![3]!, m![1]!.length + m![2]!.length)));
      const priorityAt = stringWidth(row.slice(0, row.indexOf(m![4]!, row.indexOf(m![3]!, m![1]!.length + m![2]!.length) + m![3]!.length)));
      expect(statusAt, row).toBe(statusCol);
      expect(priorityAt, row).toBe(priorityCol);
    }
    // The 80-cell Korean title is cut at 60 display cells with an ellipsis, not at 60 characters.
    const longRow = rows.find((r) => r.includes(long))!;
    const title = /^ {2}\S+\s+(.*?…)/.exec(longRow)![1]!;
    expect(stringWidth(title)).toBeLessThanOrEqual(60);
    expect(stringWidth(title)).toBeGreaterThanOrEqual(58);
  });

  it('snapshot diff labels each kind above its totals and shows changed fields as before/after rows', () => {
    const snap = json('snapshot', 'create', '--label', 'before').snapshot.id as string;
    json('task', 'set_status', first, 'in_progress');
    json('task', 'update', second, '--title', '릴리스 태그');
    json('task', 'create', 'Announce');
    const out = run('snapshot', 'diff', snap);
    // Each kind that changed is a section with its totals; the others are named on one line.
    const unchanged = /^unchanged: +(.+)$/m.exec(out)?.[1]?.split(', ') ?? [];
    expect(unchanged).toEqual(expect.arrayContaining(['documents', 'context']));
    for (const kind of ['flows', 'plans', 'tasks', 'documents', 'context'].filter((k) => !unchanged.includes(k))) {
      const s = section(out, kind);
      expect(s.join('\n'), kind).toMatch(/^ {2}totals: +added=\d+ removed=\d+ changed=\d+$/m);
    }
    expect(out).toMatch(/^text:\n {2}tasks: 1 added, 2 changed/m); // the prose summary comes last
    expect(out.split('\n').length).toBeLessThan(30);
    const tasks = section(out, 'tasks').join('\n');
    expect(tasks).toMatch(/^ {2}totals: +added=1 removed=0 changed=2$/m);
    expect(tasks).toMatch(/^ {2}removed: +\(none\)$/m);
    expect(tasks).toMatch(/^ {4}ID\s+TITLE\s+FIELD\s+BEFORE\s+AFTER$/m);
    expect(tasks).toMatch(/\bstatus\s+todo\s+in_progress$/m);
    expect(tasks).toMatch(/\btitle\s+Tag the release\s+릴리스 태그$/m);
    expect(out).not.toMatch(/[{}]/); // no JSON column
    expect(out).not.toMatch(/^documents:/m);
    // --json is the result as it was
    const j = json('snapshot', 'diff', snap);
    expect(j.tasks.totals).toEqual({ added: 1, removed: 0, changed: 2 });
    expect(j.tasks.changed.find((c: { id: string }) => c.id === first).fields.status).toEqual(['todo', 'in_progress']);
    expect(j.documents.totals).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(typeof j.text).toBe('string');
  });

  it('context get names every empty field; import --dry-run labels created and already_imported', () => {
    const ctx = run('context', 'get');
    expect(ctx).toMatch(/^flow:\n {2}id: +f-/m);
    for (const key of ['summary', 'decisions', 'questions', 'next_steps']) expect(ctx).toMatch(new RegExp(`^${key}: +\\(none\\)$`, 'm'));
    const file = fileURLToPath(new URL('../fixtures/legacy-samples/flows.1097d37.json', import.meta.url));
    const imp = run('import', file, '--dry-run');
    expect(imp).toMatch(/^created: +flows=\d+ plans=\d+ tasks=\d+/m);
    expect(imp).toMatch(/^already_imported: +flows=\d+ plans=\d+ tasks=\d+/m);
    expect(imp).toMatch(/^renamed: +\S/m);
  });

  it('search prints each hit on a line (score, file:line › heading path, id, halves) and its snippet whole below it', () => {
    const long = `${'Background on the project and its history. '.repeat(8)}To rotate the signing keys, run the rotation script and restart the workers. ${'Unrelated closing notes follow here. '.repeat(6)}`;
    const doc = json('document', 'write', 'notes/keys.md', '--content', `# Operations\n\n## Keys\n\n${long}\n`).document.id as string;
    const rows = section(run('search', 'rotate signing keys'), 'results');
    expect(rows.join('\n')).not.toMatch(/SCORE|SNIPPET/); // no table header
    const hit = rows.findIndex((l) => l.includes('notes/keys.md'));
    expect(hit).toBeGreaterThan(0);
    // The heading path once (not the title again beside it), where it starts, its id and the halves that found it.
    expect(rows[hit]).toMatch(new RegExp(`^ {2}[\\d.]+ +notes/keys\\.md:5 › Operations › Keys · ${doc} · (text|vector|text\\+vector)$`));
    // The words sit ~350 characters into the section: a cell cut to 60 characters from the snippet's
    // start never reached them.
    expect(rows[hit + 1]).toMatch(/^ {4,}….*To rotate the signing keys, run the rotation script/);
    // A hit that is no file names its kind, id and title.
    json('task', 'create', 'Rotate the signing keys');
    expect(section(run('search', 'rotate signing keys'), 'results').join('\n')).toMatch(/^ {2}[\d.]+ +task t-\w+ "Rotate the signing keys" \(todo\) · (text|vector|text\+vector)$/m);
  });

  it('prune and recover label their lists', () => {
    const prune = run('snapshot', 'prune', '--dry-run');
    expect(prune).toMatch(/^dry_run: +true$/m);
    expect(prune).toMatch(/^removed:( +\(none\))?$/m);
    expect(prune).toMatch(/^orphan_documents_removed: +\(none\)$/m);
    const rec = run('recover', '--force');
    expect(rec).toMatch(/^kept_aside: +\S+flow\.db/m);
    expect(rec).toMatch(/^unreadable_payloads: +\(none\)$/m);
    expect(section(rec, 'restored_from')[1]).toMatch(/^ {2}ID\s+SCOPE/);
  });
});
