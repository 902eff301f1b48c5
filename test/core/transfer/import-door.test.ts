// An import asked for through MCP (the `command` tool, over a real stdio server) stays inside the
// project and never reads hidden files (.env, .flow/…), directly or through a symlink; and no import
// error, from any door, quotes the file it read.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { connect, type Connected } from '../../helpers/server.js';
import { tempDir, tempWorkspace } from '../../helpers/workspace.js';

const SECRET = 'sk-live-SECRET-0123456789abcdef';
let dir: string;
let outside: string;
let c: Connected;

beforeAll(async () => {
  dir = tempDir();
  outside = tempDir('flowmcp-outside-');
  writeFileSync(join(dir, '.env'), `OPENAI_API_KEY=${SECRET}\n`);
  writeFileSync(join(outside, 'flows.json'), JSON.stringify({ flows: [{ id: 'f1', name: 'Foreign', plans: [] }] }));
  mkdirSync(join(dir, 'notes'));
  symlinkSync(join(dir, '.env'), join(dir, 'notes', 'env-link.json'));
  symlinkSync(join(outside, 'flows.json'), join(dir, 'notes', 'outside.json'));
  writeFileSync(join(dir, 'notes', 'secret.txt'), `${SECRET} and more words`);
  writeFileSync(join(dir, 'notes', 'broken.json'), `{"key": ${SECRET}}`);
  c = await connect({ dir });
  await c.call('flow', { action: 'create', name: 'F' }); // .flow/flow.db exists from here
});
afterAll(async () => {
  await c?.close();
});

async function flowCount(): Promise<number> {
  return (await c.call('flow', { action: 'list' })).structuredContent.flows.length;
}

describe('/flow import through MCP', () => {
  it('refuses hidden files, .flow/, symlinks into them or out of the project; reads nothing, imports nothing', async () => {
    const before = await flowCount();
    for (const file of ['.env', '.flow/flow.db', '.flow/config.json', 'notes/env-link.json', 'notes/outside.json', ' .env', `${outside}/flows.json`, '../x/flows.json', 'notes/../.env']) {
      const r = await c.call('command', { text: `/flow import ${file}` });
      expect(r.isError, file).toBe(true);
      expect(JSON.stringify(r.structuredContent), file).not.toContain(SECRET);
      expect(JSON.stringify(r.structuredContent), file).not.toContain('SQLite format');
    }
    expect(await flowCount()).toBe(before);
  });

  it("the earlier Flow system's own files import where they sit, in .ai-brain/; nothing else hidden does", async () => {
    mkdirSync(join(dir, '.ai-brain'), { recursive: true });
    writeFileSync(join(dir, '.ai-brain', 'flows.json'), JSON.stringify({ flows: [{ id: 'legacy-1', name: 'Old work', plans: [] }] }));
    writeFileSync(join(dir, '.ai-brain', 'notes.json'), JSON.stringify({ flows: [{ id: 'legacy-2', name: 'Not a legacy name', plans: [] }] }));
    symlinkSync(join(dir, '.env'), join(dir, '.ai-brain', 'context.json'));
    const before = await flowCount();
    const ok = await c.call('command', { text: '/flow import .ai-brain/flows.json' });
    expect(ok.isError, JSON.stringify(ok.structuredContent)).toBeFalsy();
    expect(await flowCount()).toBe(before + 1);
    for (const file of ['.ai-brain/notes.json', '.ai-brain/context.json', '.ai-brain/../.env', '.ai-brain/.hidden/flows.json']) {
      const r = await c.call('command', { text: `/flow import ${file}` });
      expect(r.isError, file).toBe(true);
      expect(JSON.stringify(r.structuredContent), file).not.toContain(SECRET);
    }
    expect(await flowCount()).toBe(before + 1);
  });

  it('a project file that is not an import is refused without quoting it', async () => {
    for (const file of ['notes/secret.txt', 'notes/broken.json']) {
      const r = await c.call('command', { text: `/flow import ${file}` });
      expect(r.isError, file).toBe(true);
      expect(JSON.stringify(r.structuredContent), file).not.toMatch(/sk-live|SECRET/);
    }
    const broken = await c.call('command', { text: '/flow import notes/broken.json' });
    expect(broken.structuredContent.error.message).toMatch(/line 1, column 9/);
  });
});

describe('flowmcp import (the user\'s own shell)', () => {
  it('may read any file the user names, but its errors never quote it', () => {
    const t = tempWorkspace();
    try {
      const f = join(tempDir(), 'notes.txt');
      writeFileSync(f, `${SECRET}\nsecond line`);
      expect(() => importFile(t.call, f, {})).toThrow(/neither JSON nor a current_flow\.txt/);
      const cur = join(tempDir(), 'current_flow.txt');
      writeFileSync(cur, SECRET);
      for (const file of [f, cur, join(dir, '.env'), join(dir, 'notes', 'broken.json')]) {
        let message = '';
        try {
          importFile(t.call, file, {});
        } catch (e) {
          message = `${(e as Error).message} ${(e as { hint?: string }).hint ?? ''}`;
        }
        expect(message, file).not.toBe('');
        expect(message, file).not.toMatch(/sk-live|SECRET/);
      }
    } finally {
      t.cleanup();
    }
  });
});
