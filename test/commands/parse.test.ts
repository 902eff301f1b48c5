// The command table (test/fixtures/commands/inputs.json): every input — grammar, older Flow forms,
// plain English and Korean, typos, ambiguous names — with the command it must be read as, written in
// the grammar with {kind:title} standing for ids. Also: ambiguity and dry runs change nothing, every
// error names a correct form, and what the parser builds passes the tools' own schemas.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParsed } from '../../src/commands/bus.js';
import { parseCommand } from '../../src/commands/parse.js';
import { toolPort } from '../../src/tools/registry.js';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const TABLE = JSON.parse(readFileSync(new URL('../fixtures/commands/inputs.json', import.meta.url), 'utf8')) as [string, string][];

let t: TempWorkspace;
const ids = new Map<string, string>();

beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ids.set('flow:Docs site', ok('flow', { action: 'create', name: 'Docs site' }).flow.id);
  ok('plan', { action: 'create', title: 'Website' });
  ok('task', { action: 'create', title: 'Publish docs' });
  ids.set('flow:Auth rewrite', ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id);
  const plans = { Auth: ['Login page', 'Fix login redirect', 'Write migration tests', 'Refresh token rotation'], Payments: ['Stripe webhook', 'Refund flow'], '결제 시스템': ['로그인 화면 구현', '결제 모듈 테스트'] };
  for (const [plan, tasks] of Object.entries(plans)) {
    ids.set(`plan:${plan}`, ok('plan', { action: 'create', title: plan }).plan.id);
    for (const title of tasks) ids.set(`task:${title}`, ok('task', { action: 'create', title }).task.id);
  }
  // Titles that hold command words, for the quoted-title rows (a quoted span is a title, verbatim).
  ids.set('plan:SEO', ok('plan', { action: 'create', title: 'SEO' }).plan.id);
  for (const title of ['Mark old tasks done', 'Add a done screen', '완료 화면 추가', '다음 작업 시작']) ids.set(`task:${title}`, ok('task', { action: 'create', title }).task.id);
  ok('plan', { action: 'use', id: ids.get('plan:Auth') });
  ids.set('snap:before refactor', ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id);
  // Something to undo: a restore (to the same state) and a delete.
  ok('snapshot', { action: 'restore', id: ids.get('snap:before refactor'), confirm: true });
  ok('task', { action: 'delete', id: ok('task', { action: 'create', title: 'Throwaway' }).task.id, confirm: true });
});
afterAll(() => t.cleanup());

const fill = (s: string) => s.replace(/\{(\w+:[^}]+)\}/g, (_, k: string) => ids.get(k) ?? `?${k}?`);

describe('the command table', () => {
  it('has at least 150 inputs', () => expect(TABLE.length).toBeGreaterThanOrEqual(150));

  for (const [input, expected] of TABLE) {
    it(`${input}  →  ${expected}`, () => {
      const p = parseCommand(t.call, fill(input));
      if (expected === 'help') expect(p.kind).toBe('help');
      else if (expected === 'status') expect(p.kind).toBe('status');
      else if (expected.startsWith('undo:')) expect(p).toMatchObject({ kind: 'undo', what: expected.slice(5) });
      else if (expected === 'error') {
        expect(p.kind).toBe('error');
        if (p.kind === 'error') expect(p.hint).toMatch(/\/flow/); // every error names a correct form
      } else if (expected.startsWith('choose:')) {
        expect(p.kind).toBe('choose');
        if (p.kind === 'choose') {
          expect(p.candidates.map((c) => c.title).sort()).toEqual(expected.slice(7).split('|').sort());
          for (const c of p.candidates) expect(c.command).toContain(c.id); // the exact command for each
        }
      } else {
        expect(p.kind, JSON.stringify(p)).toBe('run');
        if (p.kind === 'run') {
          expect(p.command.text).toBe(fill(expected));
          // config and import are run by the command bus itself, not by a tool.
          if (p.command.tool !== 'config' && p.command.tool !== 'import') expect(toolPort.validate(p.command.tool, p.command.args), p.command.text).toBeUndefined();
        }
      }
    });
  }
});

describe('the command as written back', () => {
  it('reads back as itself: quoted titles, whatever they hold, come back whole', () => {
    for (const [input, expected] of TABLE) {
      if (!expected.startsWith('/flow')) continue;
      const p = parseCommand(t.call, fill(input));
      if (p.kind !== 'run') continue;
      const again = parseCommand(t.call, p.command.text);
      expect(again.kind === 'run' ? again.command.text : JSON.stringify(again), input).toBe(p.command.text);
    }
  });
});

describe('never guessing, never changing on a preview', () => {
  it('an ambiguous name runs nothing and changes nothing', async () => {
    const before = dumpDb(t.ws);
    for (const text of ['/flow done login', 'mark the login task done', '/flow delete task login --confirm']) {
      const r = await runParsed(t.call, parseCommand(t.call, text), toolPort);
      expect(r.structured).toMatchObject({ ambiguous: true, changed: false });
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a dry run of any command changes nothing and says what it would do', async () => {
    const before = dumpDb(t.ws);
    for (const [input, expected] of TABLE) {
      if (!expected.startsWith('/flow') && !expected.startsWith('undo:')) continue;
      if (expected.startsWith('/flow import')) continue; // the table's files do not exist; import has its own test below
      const r = await runParsed(t.call, parseCommand(t.call, fill(input)), toolPort, { dry_run: true });
      expect(r.isError, `${input}: ${JSON.stringify(r.structured)}`).toBe(false);
      expect(r.structured.changed, input).toBe(false);
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a destructive command read from plain language is not run without --confirm', async () => {
    const before = dumpDb(t.ws);
    const r = await runParsed(t.call, parseCommand(t.call, 'delete the refund flow task'), toolPort);
    expect(r.isError).toBe(true);
    expect((r.structured.error as { hint: string }).hint).toBe(`Run it again with --confirm: /flow delete task ${ids.get('task:Refund flow')} --confirm`);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

describe('import through the command tool', () => {
  it('/flow import reads a project file (dry run first), and refuses paths outside the project', async () => {
    const { copyFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    mkdirSync(join(t.dir, 'legacy'), { recursive: true });
    copyFileSync(new URL('../fixtures/legacy-samples/flows.9a71a64.json', import.meta.url), join(t.dir, 'legacy', 'flows.json'));
    const before = dumpDb(t.ws);
    const dry = await runParsed(t.call, parseCommand(t.call, '/flow import legacy/flows.json --dry-run'), toolPort);
    expect(dry.structured).toMatchObject({ dry_run: true, changed: false, result: { layout: 'flows-keyed', created: { flows: 1 } } });
    expect(dumpDb(t.ws)).toEqual(before);
    const outside = await runParsed(t.call, parseCommand(t.call, '/flow import ../../etc/passwd'), toolPort);
    expect(outside.isError).toBe(true);
    const real = await runParsed(t.call, parseCommand(t.call, '/flow import legacy/flows.json'), toolPort);
    expect(real.structured).toMatchObject({ result: { created: { flows: 1 } } });
  });
});
