// The text the CLI prints may come from anyone who could write the project's .flow/ (a cloned
// repository's flow.db) or call a tool: a title or description holding terminal escapes must reach
// the terminal as plain text — no screen clear, clipboard write (OSC 52), title change or hidden link —
// while line breaks and tabs keep their layout and --json keeps the exact text.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const { dir, run } = cliProject('terminal-test');

// ESC, BEL, the 8-bit CSI (C1) and a carriage return that would overwrite the line it ends.
const HOSTILE = '\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\r';
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function ok(...args: string[]) {
  const r = run(...args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

describe('CLI output of untrusted text', () => {
  it('task get, task list, search and log print planted escapes as spaces; --json keeps them', () => {
    ok('flow', 'create', 'Cloned');
    ok('plan', 'create', 'Plan');
    const id = JSON.parse(ok('task', 'create', 'Planted', '--description', `before${HOSTILE}after\n\tindented`, '--json')).task.id as string;
    // A title the tools refuse (control characters), as a hostile flow.db holds it.
    const db = new Database(join(dir(), '.flow', 'flow.db'));
    try {
      db.prepare('UPDATE tasks SET title = ? WHERE id = ?').run(`Planted${HOSTILE}title`, id);
    } finally {
      db.close();
    }

    const get = ok('task', 'get', id);
    expect(get).not.toMatch(TERMINAL_CONTROL);
    expect(get).toMatch(/title: +Planted .+ title$/m);
    expect(get).toMatch(/^ {4}before .+ after$/m);
    expect(get).toMatch(/^ {4}\tindented$/m);
    for (const out of [ok('task', 'list'), ok('search', 'before after'), ok('log')]) {
      expect(out).not.toMatch(TERMINAL_CONTROL);
      expect(out).toMatch(/Planted/);
    }
    expect(JSON.parse(ok('task', 'get', id, '--json')).task.title).toBe(`Planted${HOSTILE}title`);
  });

  it('a refusal or a question quoting a planted title prints it without its escapes', () => {
    ok('task', 'create', 'Planted twin');
    const refused = run('task', 'get', 'Planted');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: No task "Planted"\. Did you mean /);
    expect(refused.err).toContain('("Planted ]52;c;ZXZpbA== [2J 31m title")');
    expect(refused.err).not.toMatch(TERMINAL_CONTROL);
    const asked = run('run', '/flow start Planted');
    expect(asked.out).toMatch(/fits 2 tasks/);
    expect(asked.out).not.toMatch(TERMINAL_CONTROL);
  });

  it('a title with bidi overrides or zero-width spaces prints them named, so it does not pass for another title', () => {
    // "\u202Egnp.exe" reads "exe.png"; "zero\u200Bwidth" looks like "zerowidth", which does not name it.
    const tricky = JSON.parse(ok('task', 'create', 'zero\u200Bwidth and \u202Egnp.exe', '--json')).task;
    expect(tricky.title).toBe('zero\u200Bwidth and \u202Egnp.exe'); // stored as given; --json keeps it
    const shown = ok('task', 'get', tricky.id);
    expect(shown).toContain('zero⟨U+200B⟩width and ⟨U+202E⟩gnp.exe');
    expect(shown).not.toMatch(/[\u200B\u202E]/);
    const refused = run('task', 'get', 'zerowidth and gnp.exe');
    expect(refused.err).toContain('zero⟨U+200B⟩width');
    // An emoji sequence joined by U+200D is left as it is.
    expect(ok('task', 'create', 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} trip')).toContain('Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} trip');
  });

  it('a warning about the project config.json quotes its keys and hook names without their escapes', () => {
    writeFileSync(join(dir(), '.flow', 'config.json'), JSON.stringify({ [`key${HOSTILE}`]: 1 }));
    const key = run('task', 'list');
    expect(key.code).toBe(0);
    expect(key.err).toMatch(/^flowmcp warn: \.flow\/config\.json: \(top level\): Unrecognized key: "key .+"\. Until that is fixed/m);
    expect(key.err).not.toMatch(TERMINAL_CONTROL);
    writeFileSync(join(dir(), '.flow', 'config.json'), JSON.stringify({ hooks: [{ name: `hook${HOSTILE}`, on: 'task.created', run: 'true' }] }));
    const hook = run('task', 'list');
    expect(hook.err).toMatch(/^flowmcp warn: \.flow\/config\.json hooks\[0\] "hook .+" was not read: /m);
    expect(hook.err).not.toMatch(TERMINAL_CONTROL);
  });
});
