// How .flow/context/<flow>.json is kept in step, file by file on a real workspace: written only when
// it changes, found current by a fresh process, hand edits merged (and only real ones counted), broken
// or odd files kept aside under a name that says why and when, and the start-up pass over every flow.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { FlowError } from '../../../src/model/errors.js';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { Workspace, type Call } from '../../../src/core/kernel/workspace.js';
import { contextFilePath, parseContextFile, syncContextFile } from '../../../src/core/memory/context-file.js';
import { addEntry, reconcile, reconcileAll } from '../../../src/core/memory/context.js';
import { bumpRevision, getState } from '../../../src/store/context.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest, workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();
const scratch = tempDirPerTest();

function project(clock?: ManualClock) {
  const t = freshWorkspace(clock ? { clock } : {});
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id as string;
  const dir = join(t.dir, '.flow', 'context');
  const file = join(dir, `${flow}.json`);
  const doc = () => JSON.parse(readFileSync(file, 'utf8'));
  const events = () => t.ws.db.prepare("SELECT summary FROM events WHERE action = 'context.merge' ORDER BY seq").pluck().all() as string[];
  return { t, ...c, flow, dir, file, doc, events };
}

/** The same project opened again, as a new process would (nothing remembered of the file). */
function reopen(dir: string, run: (call: Call) => void): void {
  const ws = Workspace.open(dir);
  try {
    run({ ws, session: ws.session('second-process') });
  } finally {
    ws.close();
  }
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('writing context.json', () => {
  it('a fresh process finds the file current: not rewritten, reported current', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    const before = statSync(p.file, { bigint: true });
    reopen(p.t.dir, (call) => {
      syncContextFile(call, p.flow);
      expect(reconcile(call, p.flow)).toEqual({ outcome: 'current' });
      expect(reconcileAll(call)).toEqual([]);
    });
    const after = statSync(p.file, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });

  it('a current file whose hash the database lost is recorded again as the last written', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    p.t.ws.db.prepare("UPDATE context_state SET file_hash = 'lost', file_body = NULL").run();
    reopen(p.t.dir, (call) => expect(reconcile(call, p.flow)).toEqual({ outcome: 'current' }));
    const state = getState(p.t.ws.db, p.flow)!;
    const text = readFileSync(p.file, 'utf8');
    expect(state.file_hash).toBe(sha(text));
    expect(state.file_body).toBe(text);
  });

  it('the same process notices when the database lost the hash of the file it wrote', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    p.ok('context', { action: 'get' });
    p.t.ws.db.prepare("UPDATE context_state SET file_hash = 'lost'").run();
    p.ok('context', { action: 'get' });
    expect(getState(p.t.ws.db, p.flow)!.file_hash).toBe(sha(readFileSync(p.file, 'utf8')));
  });

  it('a project folder whose name holds ".json" still gets its broken file kept aside beside it', () => {
    const parent = scratch();
    const dir = join(parent, 'notes.json-project');
    mkdirSync(dir);
    const t = freshWorkspace({ dir });
    const c = caller(t.call);
    const flow = c.ok('flow', { action: 'create', name: 'A' }).flow.id as string;
    c.ok('context', { action: 'save', summary: 'Mine.' });
    const file = join(dir, '.flow', 'context', `${flow}.json`);
    writeFileSync(file, '{');
    const r = c.ok('context', { action: 'get' });
    expect(r.file_merge.kept_aside.startsWith(join(dir, '.flow', 'context', `${flow}.unreadable-`))).toBe(true);
    expect(readFileSync(r.file_merge.kept_aside, 'utf8')).toBe('{');
  });

  it('a flow with no context gets no file', () => {
    const p = project();
    p.ok('context', { action: 'get' });
    p.ok('context', { action: 'history' });
    expect(existsSync(p.file)).toBe(false);
  });

  it('a restore writes no file for the flows that have no context (a workspace of many flows had one written for each)', () => {
    const p = project();
    for (const name of ['Billing', 'Search']) p.ok('flow', { action: 'create', name });
    p.ok('flow', { action: 'switch', id: p.flow });
    p.ok('context', { action: 'save', summary: 'Only this flow has context' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id as string;
    p.ok('plan', { action: 'create', title: 'Later' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(readdirSync(p.dir).sort()).toEqual([`${p.flow}.json`]);
    expect(p.doc().summary).toBe('Only this flow has context');
  });

  it('a renamed flow is renamed in the file on the next context call', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    p.ok('context', { action: 'get' });
    p.ok('flow', { action: 'update', id: p.flow, name: 'Login rewrite' });
    p.ok('context', { action: 'get' });
    expect(p.doc().flow.name).toBe('Login rewrite');
  });

  it('refuses a flow id flowmcp never makes, quoting at most 60 characters of it', () => {
    const p = project();
    const bad = '../' + 'x'.repeat(100);
    expect(() => contextFilePath(p.t.call, bad)).toThrow(`Flow id ${JSON.stringify(bad.slice(0, 60))} in flow.db is not one flowmcp makes`);
    try {
      contextFilePath(p.t.call, bad);
    } catch (e) {
      expect((e as FlowError).hint).toMatch(/flowmcp recover/);
    }
    expect(contextFilePath(p.t.call, p.flow)).toBe(p.file);
  });
});

describe('reading hand edits back', () => {
  it('a reformatted file (same content) merges nothing: no revision, no event, no file kept aside', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.', question: 'Q?' });
    writeFileSync(p.file, JSON.stringify(p.doc()));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge).toEqual({ outcome: 'merged', applied: 0 });
    expect(r.revision).toBe(1);
    // ...and the file is written back in flowmcp's own form.
    expect(readFileSync(p.file, 'utf8')).toBe(getState(p.t.ws.db, p.flow)!.file_body);
    expect(p.events()).toEqual([]);
    expect(readdirSync(p.dir)).toEqual([`${p.flow}.json`]);
  });

  it('a clean merge is logged with its count and keeps nothing aside', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    const d = p.doc();
    d.questions.push({ text: 'By hand?' });
    d.files_touched = ['src/by-hand.ts'];
    writeFileSync(p.file, JSON.stringify(d, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge).toEqual({ outcome: 'merged', applied: 2 });
    expect(r.files_touched).toEqual(['src/by-hand.ts']);
    expect(p.events()).toEqual(['merged 2 hand edit(s) of context.json']);
    expect(readdirSync(p.dir)).toEqual([`${p.flow}.json`]);
  });

  it('a broken file is kept aside under a name saying why and when', () => {
    const clock = new ManualClock(Date.parse('2026-03-04T05:06:07.089Z'));
    const p = project(clock);
    p.ok('context', { action: 'save', summary: 'One.' });
    writeFileSync(p.file, '{');
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge.kept_aside).toBe(join(p.dir, `${p.flow}.unreadable-2026-03-04T05-06-07-089Z.json`));
  });

  it('an edit in conflict is kept aside as .conflict-<time>.json', () => {
    const clock = new ManualClock(Date.parse('2026-03-04T05:06:07.089Z'));
    const p = project(clock);
    p.ok('context', { action: 'save', summary: 'Base.' });
    // The database moves on while the file stays behind (as after a crash), and the file is edited.
    p.t.ws.write(() => {
      p.t.ws.db.prepare("UPDATE context_entries SET state = 'superseded' WHERE kind = 'summary'").run();
      addEntry(p.t.call, p.flow, { kind: 'summary', text: 'Newer in the database.' });
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    const d = p.doc();
    d.summary = 'Mine.';
    writeFileSync(p.file, JSON.stringify(d, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.file_merge.kept_aside).toBe(join(p.dir, `${p.flow}.conflict-2026-03-04T05-06-07-089Z.json`));
  });

  it('an edit of an older file (an editor\'s buffer from before the agent saved) adds its new entries and closes nothing it never saw', () => {
    const clock = new ManualClock(Date.parse('2026-03-04T05:06:07.089Z'));
    const p = project(clock);
    p.ok('context', { action: 'save', next_step: 'Step A', summary: 'First.' });
    const buffer = p.doc(); // opened in an editor
    p.ok('context', { action: 'save', next_step: 'Step B by the agent', summary: 'Second.' });
    buffer.decisions.push({ what: 'Hand decision D' });
    writeFileSync(p.file, JSON.stringify(buffer, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.next_steps.map((x: { text: string }) => x.text)).toEqual(['Step A', 'Step B by the agent']);
    expect(r.summary.text).toBe('Second.');
    expect(r.decisions.map((x: { what: string }) => x.what)).toEqual(['Hand decision D']);
    expect(r.file_merge).toMatchObject({ outcome: 'merged', applied: 1, kept_aside: join(p.dir, `${p.flow}.conflict-2026-03-04T05-06-07-089Z.json`) });
    expect(r.file_merge.conflicts[0]).toMatch(/^edited from revision 1 of \S+ while the file flowmcp last wrote was revision 2 of \S+: its new entries were added; its 2 other changes/);
  });

  it('an edit of a file from before a restore (which takes the revision back) closes nothing the restore brought back', () => {
    const p = project();
    p.ok('context', { action: 'save', next_step: 'Step A' });
    const c = p.ok('context', { action: 'save', next_step: 'Step C' }).saved[0].id as string;
    const snap = p.ok('snapshot', { action: 'create', label: 'with C' }).snapshot.id as string;
    p.ok('context', { action: 'save', close: [c] });
    const buffer = p.doc(); // opened in an editor: Step A only, a revision later than the snapshot's
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    buffer.decisions.push({ what: 'Hand decision D' });
    writeFileSync(p.file, JSON.stringify(buffer, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.next_steps.map((x: { text: string }) => x.text)).toEqual(['Step A', 'Step C']);
    expect(r.decisions.map((x: { what: string }) => x.what)).toEqual(['Hand decision D']);
    expect(r.file_merge.conflicts[0]).toMatch(/^edited from revision \d+ of \S+ while the file flowmcp last wrote was revision \d+ of \S+/);
  });

  it('an edit of a file from before a restore and a save after it (the same revision again, not the same time) closes nothing', () => {
    const clock = new ManualClock(Date.parse('2026-03-04T05:06:07.089Z'));
    const p = project(clock);
    const tick = () => clock.advance(1000);
    p.ok('context', { action: 'save', next_step: 'Step A' });
    tick();
    const c = p.ok('context', { action: 'save', next_step: 'Step C' }).saved[0].id as string;
    const snap = p.ok('snapshot', { action: 'create', label: 'with C' }).snapshot.id as string;
    tick();
    p.ok('context', { action: 'save', close: [c] });
    const buffer = p.doc();
    tick();
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    tick();
    p.ok('context', { action: 'save', decision: { what: 'Decision E' } });
    expect(p.doc().revision).toBe(buffer.revision); // the same number again
    buffer.decisions.push({ what: 'Hand decision D' });
    writeFileSync(p.file, JSON.stringify(buffer, null, 2));
    const r = p.ok('context', { action: 'get' });
    expect(r.next_steps.map((x: { text: string }) => x.text)).toEqual(['Step A', 'Step C']);
    expect(r.decisions.map((x: { what: string }) => x.what).sort()).toEqual(['Decision E', 'Hand decision D']);
    expect(r.file_merge.conflicts[0]).toMatch(/^edited from revision/);
  });

  it('a hand edit written after a merge and before the next change is not overwritten by it, and is merged next', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    const d = p.doc();
    d.decisions.push({ what: 'Landed between' });
    writeFileSync(p.file, JSON.stringify(d, null, 2));
    // The change's own write of the file (as after a save), the edit not merged yet.
    syncContextFile(p.t.call, p.flow);
    expect(p.doc().decisions.map((x: { what: string }) => x.what)).toEqual(['Landed between']);
    const r = p.ok('context', { action: 'get' });
    expect(r.decisions.map((x: { what: string }) => x.what)).toEqual(['Landed between']);
    expect(r.file_merge).toEqual({ outcome: 'merged', applied: 1 });
  });

  it('a symbolic link or a folder in its place is kept aside unread, saying which', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Mine.' });
    const outside = join(p.t.dir, 'theirs.json');
    writeFileSync(outside, readFileSync(p.file, 'utf8').replace('Mine.', 'Planted.'));
    for (const [plant, why] of [
      [() => symlinkSync(outside, p.file), 'it is a symbolic link'],
      [() => mkdirSync(p.file), 'it is not a regular file'],
    ] as const) {
      rmSync(p.file, { recursive: true });
      plant();
      const r = p.ok('context', { action: 'get' });
      expect(r.file_merge).toMatchObject({ outcome: 'unreadable', error: why });
      expect(r.summary.text).toBe('Mine.');
      expect(p.doc().summary).toBe('Mine.');
    }
  });
});

describe('what is said on stderr', () => {
  it('a warning names the file kept aside, for an unreadable file and a conflict; a clean merge says nothing', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Base.' });
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (said.push(String(s)), true));
    const level = process.env.FLOW_LOG;
    process.env.FLOW_LOG = 'warn';
    try {
      const d = p.doc();
      d.questions.push({ text: 'Clean?' });
      writeFileSync(p.file, JSON.stringify(d, null, 2));
      p.ok('context', { action: 'get' });
      expect(said).toEqual([]);
      writeFileSync(p.file, '{');
      const bad = p.ok('context', { action: 'get' }).file_merge;
      expect(said.join('')).toContain(`could not be read (${bad.error}); kept as ${bad.kept_aside} and rewritten from the database`);
      said.length = 0;
      symlinkSync(bad.kept_aside, p.file + '.tmp-link');
      rmSync(p.file);
      renameSync(p.file + '.tmp-link', p.file);
      const link = p.ok('context', { action: 'get' }).file_merge;
      expect(said.join('')).toContain(`was not read (it is a symbolic link); kept as ${link.kept_aside}`);
      said.length = 0;
      p.t.ws.write(() => {
        p.t.ws.db.prepare("UPDATE context_entries SET state = 'superseded' WHERE kind = 'summary'").run();
        addEntry(p.t.call, p.flow, { kind: 'summary', text: 'Newer in the database.' });
        bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
      });
      const e = p.doc();
      e.summary = 'Mine.';
      writeFileSync(p.file, JSON.stringify(e, null, 2));
      const conflict = p.ok('context', { action: 'get' }).file_merge;
      expect(said.join('')).toContain(`hand edits merged with conflicts (${conflict.conflicts[0]}); the edited file is kept as ${conflict.kept_aside}`);
    } finally {
      spy.mockRestore();
      if (level === undefined) delete process.env.FLOW_LOG;
      else process.env.FLOW_LOG = level;
    }
  });
});

describe('parseContextFile', () => {
  it('names the first field that breaks the layout, or the top level', () => {
    expect(parseContextFile('[]').error).toMatch(/^\(top level\): /);
    const p = parseContextFile(JSON.stringify({ format: 'flowmcp-context', version: 1, flow: { id: 'f-a', name: 5 } }));
    expect(p.error).toMatch(/^flow\.name: /);
  });
});

describe('at start, every flow', () => {
  it('a context.json written for a flow without context is read in, a missing one written; files of no flow left alone', () => {
    const p = project();
    const other = p.ok('flow', { action: 'create', name: 'Billing' }).flow.id as string;
    p.ok('context', { action: 'save', flow_id: other, summary: 'Billing.' });
    const d = JSON.parse(readFileSync(join(p.dir, `${other}.json`), 'utf8'));
    d.flow = { id: p.flow, name: 'Auth rewrite' };
    d.summary = 'Written by hand before any save.';
    d.questions = [{ text: 'Planned by hand?' }];
    d.revision = 0;
    writeFileSync(p.file, JSON.stringify(d, null, 2));
    rmSync(join(p.dir, `${other}.json`)); // a flow with context whose file went missing is written again
    writeFileSync(join(p.dir, 'f-nosuchflow.json'), '{}');
    writeFileSync(join(p.dir, 'notes.json'), '{}');
    // Files named like no flow of this project are left alone, without a word on stderr.
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (said.push(String(s)), true));
    try {
      reopen(p.t.dir, (call) => {
        const out = reconcileAll(call);
        expect(Object.fromEntries(out.map((o) => [o.flow_id, o.report.outcome]))).toEqual({ [p.flow]: 'merged', [other]: 'rewritten' });
      });
    } finally {
      spy.mockRestore();
    }
    expect(said).toEqual([]);
    expect(readFileSync(join(p.dir, 'f-nosuchflow.json'), 'utf8')).toBe('{}');
    expect(JSON.parse(readFileSync(join(p.dir, `${other}.json`), 'utf8')).summary).toBe('Billing.');
    const got = p.ok('context', { action: 'get', flow_id: p.flow });
    expect(got.summary.text).toBe('Written by hand before any save.');
    expect(texts(got.questions)).toEqual(['Planned by hand?']);
  });
});

const texts = (xs: { text: string }[]) => xs.map((x) => x.text);
