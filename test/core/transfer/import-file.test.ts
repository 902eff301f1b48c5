// The door of every import (core/transfer/import-file.ts), called in-process on real files: which files
// are refused and with what message (and what to do instead), that a refused import changes nothing, how
// the layout is told from the content, what a current_flow.txt does (and a dry run of it does not); and
// importProjectFile, the door an assistant reaches: only project files, the earlier Flow system's own
// files in .ai-brain/ but nothing else hidden, directly or through a symlink.
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importProjectFile, importProjectFileInTurns, STREAM_OVER, type ImportReport } from '../../../src/core/transfer/import-file.js';
import { defaultFlow } from '../../../src/core/kernel/session.js';
import { getFlowByLegacyId } from '../../../src/store/flows.js';
import { dumpDb, tempDirPerTest, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const ws = workspacePerTest();
const scratch = tempDirPerTest();
const LEGACY_FLOWS = { flows: [{ id: 'legacy-1', name: 'Old work', plans: [{ id: 'p1', name: 'Plan', tasks: [{ id: 't1', name: 'Task', status: 'todo' }] }] }] };

function fileIn(dir: string, name: string, content: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
function refusal(fn: () => unknown): { code: string; message: string; hint?: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('the import was not refused');
}
const layoutOf = (r: ImportReport) => (r as { layout?: string }).layout;
const flowNames = (t: TempWorkspace) => (dumpDb(t.ws).flows as { name: string }[]).map((f) => f.name).sort();

describe('flowmcp import <file>', () => {
  it('a file that cannot be read is named with the reason, and the kinds of file to give instead', () => {
    const t = ws();
    const dir = scratch();
    const before = dumpDb(t.ws);
    const missing = join(dir, 'missing.json');
    const e = refusal(() => importFile(t.call, missing, {}));
    expect(e).toMatchObject({ code: 'not_found', message: `Cannot read ${missing}: ENOENT.`, hint: 'Give the path of a flows.json, workflow.json, context.json or current_flow.txt.' });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a FIFO, a link to /dev/zero or a folder in place of the file is refused at once, unread (a FIFO hung the import; /dev/zero grew it without end)', () => {
    const t = ws();
    const dir = scratch();
    const before = dumpDb(t.ws);
    const fifo = join(dir, 'flows.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const zero = join(dir, 'workflow.json');
    symlinkSync('/dev/zero', zero);
    for (const path of [fifo, zero, dir]) {
      const e = refusal(() => importFile(t.call, path, {}));
      expect(e).toMatchObject({ code: 'invalid_input', message: `${path} is not a regular file (a FIFO, a device or a folder stands there): nothing was read.` });
      expect(e.hint).toMatch(/nothing was imported/);
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('text that is not JSON is refused unless it is one flow id; JSON after blank lines is JSON', () => {
    const t = ws();
    const dir = scratch();
    const before = dumpDb(t.ws);
    for (const text of ['see {the} list', 'two words', '']) {
      const e = refusal(() => importFile(t.call, fileIn(dir, 'notes.txt', text), {}));
      expect(e).toMatchObject({
        code: 'invalid_input',
        message: `${join(dir, 'notes.txt')} is neither JSON nor a current_flow.txt.`,
        hint: 'Give the path of a flows.json, workflow.json, context.json, current_flow.txt or flowmcp export; nothing was imported.',
      });
    }
    expect(dumpDb(t.ws)).toEqual(before);
    const r = importFile(t.call, fileIn(dir, 'flows.json', `\n\n  \t${JSON.stringify(LEGACY_FLOWS)}`), {});
    expect(layoutOf(r)).toBe('flows-list');
    expect(flowNames(t)).toEqual(['Old work']);
  });

  it('a current_flow.txt (by any name) makes the flow it names the default; a dry run only says so; an unknown id changes nothing', () => {
    const t = ws();
    const dir = scratch();
    importFile(t.call, fileIn(dir, 'flows.json', LEGACY_FLOWS), {});
    const flow = getFlowByLegacyId(t.ws.db, 'legacy-1')!.id;
    const other = importFile(t.call, fileIn(dir, 'workflow.json', { tasks: [{ id: 'x', name: 'X', status: 'todo' }] }), {});
    expect(layoutOf(other)).toBe('workflow-tasks');
    const start = defaultFlow(t.ws.db);
    expect(start).not.toBe(flow);

    const last = fileIn(dir, 'last-flow.txt', ' legacy-1\n');
    expect(importFile(t.call, last, { dry_run: true })).toEqual({ layout: 'current-flow', current_flow: flow, dry_run: true });
    expect(defaultFlow(t.ws.db)).toBe(start);
    expect(importFile(t.call, last, {})).toEqual({ layout: 'current-flow', current_flow: flow, dry_run: false });
    expect(defaultFlow(t.ws.db)).toBe(flow);

    const before = dumpDb(t.ws);
    for (const text of ['legacy-404', 'two words', '']) {
      const cur = fileIn(dir, 'current_flow.txt', text);
      const e = refusal(() => importFile(t.call, cur, {}));
      expect(e, text).toMatchObject({ code: 'not_found', message: `${cur} names a flow that has not been imported (or names none).`, hint: 'Import the flows.json first, then current_flow.txt; nothing was changed.' });
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('broken JSON is refused with its line and column and left as it was; JSON of no known layout is refused', () => {
    const t = ws();
    const dir = scratch();
    const before = dumpDb(t.ws);
    const text = '{"flows": [\n  {"id": "f1" "name": "A"}\n]}';
    const broken = fileIn(dir, 'flows.json', text);
    const e = refusal(() => importFile(t.call, broken, {}));
    expect(e).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^.*flows\.json is not valid JSON \(line 2, column 15: .*\)\.$/),
      hint: 'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
      details: { line: 2, column: 15 },
    });
    expect(readFileSync(broken, 'utf8')).toBe(text);
    // Nested past any real file (a parse of it holds the process for seconds): refused where the limit is passed.
    const deep = fileIn(dir, 'deep.json', `{"flows": [\n${'['.repeat(5000)}${']'.repeat(5000)}]}`);
    expect(refusal(() => importFile(t.call, deep, {}))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/line 2, column 999: nested deeper than 1000 levels/) });
    // The same read a flow at a time (a big file's way).
    expect(refusal(() => importFile(t.call, deep, { streamOver: 10 }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/line 2, column 999: nested deeper than 1000 levels/) });
    expect(dumpDb(t.ws)).toEqual(before);
    // Bytes that are not UTF-8 (a name edited in another encoding) would be read as U+FFFD: refused, read
    // whole or a flow at a time, rather than imported rewritten.
    const latin = join(dir, 'latin.json');
    writeFileSync(latin, Buffer.concat([Buffer.from('{"flows": [\n{"id": "f1", "name": "Caf'), Buffer.from([0xe9]), Buffer.from('", "plans": []}\n]}')]));
    expect(refusal(() => importFile(t.call, latin, {}))).toMatchObject({ code: 'invalid_input', message: `${latin} is not UTF-8 text: some of its bytes would be read as U+FFFD, not as what they were. Nothing was imported.` });
    expect(refusal(() => importFile(t.call, latin, { streamOver: 10 }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/line 2, column 1: not UTF-8 text/) });
    expect(dumpDb(t.ws)).toEqual(before);
    const odd = fileIn(dir, 'odd.json', { hello: 1 });
    expect(refusal(() => importFile(t.call, odd, {}))).toMatchObject({
      code: 'invalid_input',
      message: `${odd} is not a layout flowmcp knows. It reads flows.json as {"flows": [ … ]}, {"flows": {"<id>": { … }}} or {"version": "3.0", …}; workflow.json as {"tasks": [ … ]} or {"plans": [ … ]}; and context.json.`,
      hint: 'Check that it is a file the earlier Flow system wrote; nothing was imported.',
    });
    // A bare list of flows is named as such, with the wrapping that makes it a flows.json.
    const bare = fileIn(dir, 'bare.json', [{ id: 'f1', name: 'A', plans: [] }]);
    expect(refusal(() => importFile(t.call, bare, {}))).toMatchObject({
      message: expect.stringContaining('is not a layout flowmcp knows: it is a bare list.'),
      hint: 'If the list holds flows, wrap it: {"flows": [ …the list… ]}, and import again; nothing was imported.',
    });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('only a "3.0" file marked as a flowmcp export is read as one; the earlier system\'s files are read as theirs, even if marked', () => {
    const t = ws();
    const dir = scratch();
    const mark = { exported_by: 'flowmcp', format: 1 };
    expect(layoutOf(importFile(t.call, fileIn(dir, 'a.json', { ...LEGACY_FLOWS, meta: mark }), {}))).toBe('flows-list');
    expect(layoutOf(importFile(t.call, fileIn(dir, 'b.json', { version: '3.0', flows: { 'legacy-3': { id: 'legacy-3', name: 'Proposed', plans: [] } } }), {}))).toBe('flows-3.0');
    expect(flowNames(t)).toEqual(['Old work', 'Proposed']);
  });

  it('a flat task list becomes a flow named after its file, less a final .json', () => {
    const t = ws();
    const dir = scratch();
    const tasks = { tasks: [{ id: 'x', name: 'X', status: 'todo' }] };
    importFile(t.call, fileIn(dir, 'sprint-7.json', tasks), {});
    importFile(t.call, fileIn(dir, 'sprint.json.bak', tasks), {});
    expect(flowNames(t)).toEqual(['sprint-7', 'sprint.json.bak']);
  });

  it('a file of exactly the streaming size is still read whole (so any layout imports)', () => {
    const t = ws();
    const dir = scratch();
    const head = '{"tasks": [{"id": "x", "name": "X", "status": "todo"}], "note": "';
    const f = fileIn(dir, 'big-workflow.json', `${head}${'x'.repeat(STREAM_OVER - head.length - 2)}"}`);
    expect(readFileSync(f).length).toBe(STREAM_OVER);
    expect(layoutOf(importFile(t.call, f, {}))).toBe('workflow-tasks');
    expect(flowNames(t)).toEqual(['big-workflow']);
  }, 60_000);
});

describe('importProjectFile (MCP, /flow import, flowmcp run)', () => {
  const HINT =
    "Name a file inside the project that is not hidden (the earlier Flow system's .ai-brain/flows.json, workflow.json, context.json and current_flow.txt are allowed), or run flowmcp import <file> in your own shell.";

  function project(): { t: TempWorkspace; outside: string } {
    const t = ws();
    const outside = scratch();
    mkdirSync(join(t.dir, '.ai-brain'));
    mkdirSync(join(t.dir, 'notes', 'sub'), { recursive: true });
    mkdirSync(join(t.dir, 'notes', '.ai-brain'));
    mkdirSync(join(t.dir, '.git'));
    return { t, outside };
  }

  it("reads project files, and the earlier Flow system's four files where they sit in .ai-brain/, naming them by their project path", () => {
    const { t } = project();
    fileIn(join(t.dir, 'notes', 'sub'), 'flows.json', { flows: [{ id: 'legacy-2', name: 'From notes', plans: [] }] });
    expect(importProjectFile(t.call, 'notes/sub/flows.json', {})).toMatchObject({ source: 'notes/sub/flows.json', layout: 'flows-list' });
    fileIn(join(t.dir, '.ai-brain'), 'flows.json', LEGACY_FLOWS);
    fileIn(join(t.dir, '.ai-brain'), 'workflow.json', { project_name: 'Workflow', tasks: [{ id: 'x', name: 'X', status: 'todo' }] });
    fileIn(join(t.dir, '.ai-brain'), 'context.json', { version: '1.0', memory: { recent_decisions: [] } });
    fileIn(join(t.dir, '.ai-brain'), 'current_flow.txt', 'legacy-1\n');
    expect(importProjectFile(t.call, ' .ai-brain/flows.json ', {})).toMatchObject({ source: '.ai-brain/flows.json', layout: 'flows-list' });
    expect(importProjectFile(t.call, '.ai-brain/workflow.json', {})).toMatchObject({ source: '.ai-brain/workflow.json', layout: 'workflow-tasks' });
    const flow = getFlowByLegacyId(t.ws.db, 'legacy-1')!.id;
    expect(importProjectFile(t.call, '.ai-brain/context.json', { flow_id: flow })).toMatchObject({ flow_id: flow, dry_run: false });
    expect(importProjectFile(t.call, '.ai-brain/current_flow.txt', {})).toEqual({ layout: 'current-flow', current_flow: flow, dry_run: false });
    expect(flowNames(t)).toEqual(['From notes', 'Old work', 'Workflow']);
  });

  it('in turns (a server), a list-layout file over the streaming size is read a flow at a time with the same result, and other layouts are read whole', async () => {
    const a = ws();
    const b = ws();
    const flows = { flows: [...LEGACY_FLOWS.flows, { id: 'legacy-2', name: 'More', plans: [{ id: 'p2', name: 'P', tasks: [{ id: 't2', name: 'T', status: 'completed' }] }] }], current_flow_id: 'legacy-2' };
    const workflow = { project_name: 'Workflow', tasks: [{ id: 'x', name: 'X', status: 'todo' }] };
    for (const t of [a, b]) {
      fileIn(t.dir, 'flows.json', flows);
      fileIn(t.dir, 'workflow.json', workflow);
    }
    // streamOver of a few bytes: both files are "big" for this run; the workflow has no flows list.
    const streamed = await importProjectFileInTurns(a.call, 'flows.json', { streamOver: 16 });
    const whole = importProjectFile(b.call, 'flows.json', {});
    const strip = (r: ImportReport) => ({ ...r, snapshot: undefined });
    expect(strip(streamed)).toEqual(strip(whole));
    expect((await importProjectFileInTurns(a.call, 'workflow.json', { streamOver: 16 })) as { layout: string }).toMatchObject({ layout: 'workflow-tasks' });
    importProjectFile(b.call, 'workflow.json', {});
    const rows = (t: TempWorkspace) => {
      const d = dumpDb(t.ws) as Record<string, { title?: string; name?: string; status?: string; legacy_id?: string }[]>;
      return ['flows', 'plans', 'tasks'].map((k) => d[k]!.map((r) => [r.legacy_id, r.name ?? r.title, r.status]).sort());
    };
    expect(rows(a)).toEqual(rows(b));
    expect(defaultFlow(a.ws.db)).toBe(getFlowByLegacyId(a.ws.db, 'legacy-2')!.id);
  });

  it('refuses hidden files, paths and symlinks leading out of the project or into hidden files, and what is not a file; reads nothing, imports nothing', () => {
    const { t, outside } = project();
    fileIn(t.dir, '.env', 'OPENAI_API_KEY=sk-live-SECRET\n');
    const flows = (id: string) => ({ flows: [{ id, name: `Flow ${id}`, plans: [] }] });
    fileIn(join(t.dir, '.ai-brain'), 'notes.json', flows('a'));
    fileIn(join(t.dir, '.ai-brain'), 'flows.json', flows('b'));
    fileIn(join(t.dir, '.git'), 'flows.json', flows('c'));
    fileIn(outside, 'flows.json', flows('e'));
    const link = (target: string, at: string) => symlinkSync(target, join(t.dir, at));
    link(join(t.dir, '.env'), '.ai-brain/context.json');
    link(join(outside, 'flows.json'), 'notes/outside.json');
    link(join(t.dir, '.ai-brain', 'flows.json'), 'notes/legacy-link.json');
    link(join(t.dir, '.git', 'flows.json'), 'notes/git-link.json');
    link(t.dir, 'notes/root-link');
    const before = dumpDb(t.ws);

    for (const file of ['.ai-brain/context.json', 'notes/outside.json', 'notes/legacy-link.json', 'notes/git-link.json']) {
      expect(refusal(() => importProjectFile(t.call, file, {})), file).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/leads outside .* \(or into a hidden file\) through a symbolic link/) });
    }
    expect(refusal(() => importProjectFile(t.call, 'notes/root-link', {}))).toMatchObject({ code: 'invalid_input', message: 'notes/root-link leads outside the project or into a hidden file; it was not read.', hint: HINT });
    expect(refusal(() => importProjectFile(t.call, '.ai-brain/notes.json', {}))).toMatchObject({ code: 'invalid_input', message: 'import file ".ai-brain/notes.json" has a hidden (dot) segment.' });
    expect(refusal(() => importProjectFile(t.call, '.ai-brain/../.env', {}))).toMatchObject({ code: 'invalid_input', message: 'import file "../.env" points outside the folder it belongs in.' });
    // The example in the hint is a file to import, not a note.
    expect(refusal(() => importProjectFile(t.call, '/etc/passwd', {}))).toMatchObject({ message: 'import file "/etc/passwd" is absolute.', hint: 'Give a relative path inside the project with / separators, e.g. "flows.json".' });
    expect(refusal(() => importProjectFile(t.call, 'notes/missing.json', {}))).toMatchObject({ code: 'not_found', message: 'Cannot read notes/missing.json: ENOENT.', hint: HINT });
    expect(refusal(() => importProjectFile(t.call, 'notes/sub', {}))).toMatchObject({ code: 'invalid_input', message: 'notes/sub is not a file.', hint: HINT });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a .ai-brain folder that is itself a symlink is followed only to where its files are not hidden and inside the project', () => {
    const { t, outside } = project();
    const flows = (id: string) => ({ flows: [{ id, name: `Flow ${id}`, plans: [] }] });
    fileIn(join(t.dir, '.git'), 'flows.json', flows('git'));
    fileIn(join(t.dir, 'notes', '.ai-brain'), 'flows.json', flows('nested'));
    fileIn(outside, 'flows.json', flows('outside'));
    fileIn(join(t.dir, 'notes', 'sub'), 'flows.json', flows('plain'));
    const before = dumpDb(t.ws);
    const brain = join(t.dir, '.ai-brain');
    for (const target of [join(t.dir, '.git'), join(t.dir, 'notes', '.ai-brain'), outside]) {
      rmSync(brain, { recursive: true, force: true });
      symlinkSync(target, brain);
      expect(refusal(() => importProjectFile(t.call, '.ai-brain/flows.json', {})), target).toMatchObject({
        code: 'invalid_input',
        message: '.ai-brain/flows.json leads outside the project or into a hidden file; it was not read.',
        hint: HINT,
      });
    }
    expect(dumpDb(t.ws)).toEqual(before);
    rmSync(brain, { recursive: true, force: true });
    symlinkSync(join(t.dir, 'notes', 'sub'), brain);
    expect(importProjectFile(t.call, '.ai-brain/flows.json', {})).toMatchObject({ source: '.ai-brain/flows.json', layout: 'flows-list' });
    expect(flowNames(t)).toEqual(['Flow plain']);
  });
});
