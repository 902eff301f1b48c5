// Files a cloned repository can plant where flowmcp reads its own: a FIFO or a folder where a document
// is written, a huge .flow/config.json. Each is refused with a message that says what to do, quickly
// (a FIFO read would hang the one event loop every HTTP session shares), and nothing changes.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

describe('document write over something that is not a document file', () => {
  it.each([
    ['a FIFO', (f: string) => expect(spawnSync('mkfifo', [f]).status).toBe(0), (f: string) => lstatSync(f).isFIFO()],
    ['a folder', (f: string) => mkdirSync(f), (f: string) => lstatSync(f).isDirectory()],
  ])('%s at the path is refused, left as it was, and the write does not hang', (_name, plant, still) => {
    t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Docs' });
    const file = join(t.dir, '.flow', 'documents', 'notes', 'a.md');
    mkdirSync(join(t.dir, '.flow', 'documents', 'notes'), { recursive: true });
    plant(file);
    const e = c.fail('document', { action: 'write', path: 'notes/a.md', content: '# A' });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/not a regular file, so it was not overwritten/);
    expect(e.hint).toMatch(/Move that file away/);
    expect(still(file)).toBe(true);
    expect(c.ok('document', { action: 'list' }).documents).toEqual([]);
  });
});

describe('.flow/config.json far bigger than a settings file', () => {
  it('is refused with its size limit, never read whole', async () => {
    t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Cfg' });
    const file = join(t.dir, '.flow', 'config.json');
    writeFileSync(file, '{"snapshots": {"keep_last": 5}}');
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, 3 * 1024 * 1024 * 1024); // sparse: 3 GB on paper, nothing on disk
    closeSync(fd);
    const e = await asyncCaller(t.call).fail('search', { query: 'anything' });
    expect(e.message).toMatch(/config\.json is larger than \d+ bytes, so it was not read/);
    expect(existsSync(file)).toBe(true);
    rmSync(file);
  });
});
