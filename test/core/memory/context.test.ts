// Context in one process, on a real database and real files: save/get/history, context.json kept in
// step (stale files rewritten, hand edits merged, conflicts and unreadable files kept aside, never
// lost), and bad input that changes nothing.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContextFile } from '../../../src/core/memory/context-file.js';
import { bumpRevision } from '../../../src/store/context.js';
import { addEntry } from '../../../src/core/memory/context.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();

function project() {
  const t = freshWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id as string;
  const plan = c.ok('plan', { action: 'create', title: 'Tokens' }).plan.id as string;
  const file = join(t.dir, '.flow', 'context', `${flow}.json`);
  const readFile = () => parseContextFile(readFileSync(file, 'utf8')).doc!;
  return { t, ...c, flow, plan, file, readFile };
}

describe('context save / get / history', () => {
  it('saves a summary, a decision with its reason, a question and a next step; the file says the same', () => {
    const p = project();
    const r = p.ok('context', {
      action: 'save',
      summary: 'Login moved to JWT.',
      decision: { what: 'Access tokens expire after 15 minutes', why: 'stateless API servers' },
      question: 'Do we need a revocation list?',
      next_step: 'Rotate refresh tokens',
      files: ['src/auth.ts'],
    });
    expect(r.revision).toBe(1);
    expect(r.saved.map((s: { kind: string }) => s.kind)).toEqual(['summary', 'decision', 'question', 'next_step']);
    const got = p.ok('context', { action: 'get' });
    expect(got.summary.text).toBe('Login moved to JWT.');
    expect(got.decisions[0]).toMatchObject({ what: 'Access tokens expire after 15 minutes', why: 'stateless API servers' });
    expect(got.questions.map((q: { text: string }) => q.text)).toEqual(['Do we need a revocation list?']);
    expect(got.next_steps.map((q: { text: string }) => q.text)).toEqual(['Rotate refresh tokens']);
    expect(got.files_touched).toEqual(['src/auth.ts']);
    expect(got.active.plan_id).toBe(p.plan);
    const doc = p.readFile();
    expect(doc).toMatchObject({ format: 'flowmcp-context', version: 1, revision: 1, summary: 'Login moved to JWT.' });
    expect(doc.decisions.map((d) => d.what)).toEqual(['Access tokens expire after 15 minutes']);
    expect(doc.questions.map((d) => d.id)).toEqual([got.questions[0].id]);
  });

  it('a new summary replaces the old one, which stays in history; append extends it', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'First state.' });
    p.ok('context', { action: 'save', summary: 'Second state.' });
    p.ok('context', { action: 'save', summary: 'And more.', mode: 'append' });
    expect(p.ok('context', { action: 'get' }).summary.text).toBe('Second state.\n\nAnd more.');
    const h = p.ok('context', { action: 'history', kind: 'summary' });
    expect(h.entries.map((e: { text: string; state: string }) => [e.text, e.state])).toEqual([
      ['Second state.\n\nAnd more.', 'open'],
      ['Second state.', 'superseded'],
      ['First state.', 'superseded'],
    ]);
  });

  it('closing an answered question and replacing the next steps; history pages through everything', () => {
    const p = project();
    const q = p.ok('context', { action: 'save', question: 'Which hash for passwords?' }).saved[0].id;
    p.ok('context', { action: 'save', next_step: 'Old step A' });
    p.ok('context', { action: 'save', next_step: 'Old step B' });
    p.ok('context', { action: 'save', next_step: 'New plan of work', mode: 'replace', close: [q], decision: 'Argon2id for passwords' });
    const got = p.ok('context', { action: 'get' });
    expect(got.questions).toEqual([]);
    expect(got.next_steps.map((s: { text: string }) => s.text)).toEqual(['New plan of work']);
    const page1 = p.ok('context', { action: 'history', limit: 3 });
    const page2 = p.ok('context', { action: 'history', limit: 3, cursor: page1.next_cursor });
    const all = [...page1.entries, ...page2.entries];
    expect(all).toHaveLength(5);
    expect(page2.next_cursor).toBeNull();
    expect(all.find((e: { id: string }) => e.id === q).state).toBe('closed');
    expect(all.filter((e: { state: string }) => e.state === 'superseded').map((e: { text: string }) => e.text).sort()).toEqual(['Old step A', 'Old step B']);
  });

  it('bad input changes nothing: an unknown id to close, an unknown task, nothing to save', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Base.' });
    const before = dumpDb(p.t.ws);
    const file = readFileSync(p.file, 'utf8');
    const e1 = p.fail('context', { action: 'save', summary: 'Changed', close: ['c-zzzz'] });
    expect(e1.code).toBe('not_found');
    expect(e1.hint).toMatch(/context get/);
    expect(p.fail('context', { action: 'save', decision: { what: 'x', task_id: 't-nope' } }).code).toBe('not_found');
    expect(p.fail('context', { action: 'save' }).message).toMatch(/at least one of summary/);
    expect(p.fail('context', { action: 'resume', budget_tokens: 5 }).message).toMatch(/budget_tokens/);
    expect(dumpDb(p.t.ws)).toEqual(before);
    expect(readFileSync(p.file, 'utf8')).toBe(file);
  });

  it('deleting the flow takes its context entries and their search chunks with it', () => {
    const p = project();
    p.ok('context', { action: 'save', decision: 'Use JWT', summary: 'S' });
    p.ok('flow', { action: 'delete', id: p.flow, confirm: true });
    const db = p.t.ws.db;
    expect(db.prepare('SELECT COUNT(*) AS n FROM context_entries').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM chunks WHERE kind = 'context'").get()).toEqual({ n: 0 });
  });
});

describe('context.json and the database agree', () => {
  it('a file left behind (the database moved on without it) is rewritten on the next call', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    // What a crash between commit and file write leaves: the database ahead of the file.
    p.t.ws.write(() => {
      addEntry(p.t.call, p.flow, { kind: 'decision', text: 'Written, then the process died' });
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    expect(p.readFile().revision).toBe(1);
    const got = p.ok('context', { action: 'get' });
    expect(got.file_merge).toBeUndefined(); // not a hand edit
    expect(p.readFile().revision).toBe(2);
    expect(p.readFile().decisions.map((d) => d.what)).toEqual(['Written, then the process died']);
  });

  it('a deleted file is written again', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'One.' });
    rmSync(p.file);
    p.ok('context', { action: 'get' });
    expect(p.readFile().summary).toBe('One.');
  });

  it('hand edits are merged: a new question, an edited decision, a removed next step, a new summary', () => {
    const p = project();
    const saved = p.ok('context', { action: 'save', summary: 'Old summary.', decision: 'Use HS256', next_step: 'Drop the session table' }).saved;
    const doc = p.readFile();
    doc.summary = 'Summary written by hand.';
    doc.decisions[0]!.what = 'Use RS256 (edited by hand)';
    doc.next_steps = [];
    doc.questions.push({ text: 'Who owns the key rotation?' });
    writeFileSync(p.file, JSON.stringify(doc, null, 2));
    const got = p.ok('context', { action: 'get' });
    expect(got.file_merge).toMatchObject({ outcome: 'merged', applied: 4 });
    expect(got.summary.text).toBe('Summary written by hand.');
    expect(got.decisions.map((d: { id: string; what: string }) => [d.id, d.what])).toEqual([[saved[1].id, 'Use RS256 (edited by hand)']]);
    expect(got.next_steps).toEqual([]);
    expect(got.questions.map((q: { text: string }) => q.text)).toEqual(['Who owns the key rotation?']);
    // The file now carries ids for everything and is what the database renders; a second call changes nothing.
    expect(p.readFile().questions[0]!.id).toMatch(/^c-/);
    const again = p.ok('context', { action: 'get' });
    expect(again.file_merge).toBeUndefined();
    expect(again.revision).toBe(got.revision);
    const log = p.t.ws.db.prepare("SELECT action FROM events WHERE action LIKE 'context.%' ORDER BY seq").pluck().all();
    expect(log).toEqual(['context.save', 'context.merge']);
  });

  it('context history takes in hand edits too (a new decision written in the file shows in the history)', () => {
    const p = project();
    p.ok('context', { action: 'save', decision: 'Use HS256' });
    const doc = p.readFile();
    doc.decisions.push({ what: 'Card payments only through Stripe' });
    writeFileSync(p.file, JSON.stringify(doc, null, 2));
    const h = p.ok('context', { action: 'history', kind: 'decision' });
    expect(h.file_merge).toMatchObject({ outcome: 'merged' });
    expect(h.entries.map((e: { text: string }) => e.text)).toContain('Card payments only through Stripe');
  });

  it('an edit that conflicts with a newer database change is reported and the edited file kept aside', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Base summary.' });
    // The database changes the summary while the file is stale (as after a crash)...
    p.t.ws.write(() => {
      p.t.ws.db.prepare("UPDATE context_entries SET state = 'superseded' WHERE kind = 'summary'").run();
      addEntry(p.t.call, p.flow, { kind: 'summary', text: 'Newer summary in the database.' });
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    // ...and someone edits the same summary in that stale file, plus adds a question.
    const doc = p.readFile();
    doc.summary = 'My own summary.';
    doc.questions.push({ text: 'A question added by hand' });
    const edited = JSON.stringify(doc, null, 2);
    writeFileSync(p.file, edited);
    const got = p.ok('context', { action: 'get' });
    expect(got.file_merge.outcome).toBe('merged');
    expect(got.file_merge.conflicts).toEqual([expect.stringMatching(/^summary: changed in the file and in the database/)]);
    expect(got.summary.text).toBe('Newer summary in the database.');
    expect(got.questions.map((q: { text: string }) => q.text)).toEqual(['A question added by hand']);
    expect(readFileSync(got.file_merge.kept_aside, 'utf8')).toBe(edited);
    expect(p.readFile().summary).toBe('Newer summary in the database.');
  });

  it('the report of a file that no longer parses says where, never quotes it', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Safe.' });
    writeFileSync(p.file, 'OPENAI_API_KEY=sk-from-a-stranger');
    const got = p.ok('context', { action: 'get' });
    expect(got.file_merge.error).toMatch(/not valid JSON \(line 1, column 1/);
    expect(JSON.stringify(got)).not.toContain('OPENAI_API_KEY');
  });

  it('a file that no longer parses is kept aside byte for byte and rewritten from the database', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Safe.' });
    const broken = readFileSync(p.file, 'utf8').slice(0, 100);
    writeFileSync(p.file, broken);
    const got = p.ok('context', { action: 'get' });
    expect(got.file_merge).toMatchObject({ outcome: 'unreadable' });
    expect(got.file_merge.error).toMatch(/not valid JSON/);
    expect(readFileSync(got.file_merge.kept_aside, 'utf8')).toBe(broken);
    expect(p.readFile().summary).toBe('Safe.');
    expect(readdirSync(join(p.t.dir, '.flow', 'context')).filter((f) => f.includes('unreadable'))).toHaveLength(1);
    expect(existsSync(p.file)).toBe(true);
  });
});
