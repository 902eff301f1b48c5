// The file half of a restore interrupted by a crash: after a committed database transaction the next
// open finishes the renames; without one, the temporary files are removed and the old files stay.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/workspace.js';
import { setSetting } from '../../src/store/settings.js';
import { tempDir } from '../helpers/workspace.js';
import { rmSync } from 'node:fs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function crashedRestore(committed: boolean): { dir: string; final: string; tmp: string } {
  const dir = tempDir();
  dirs.push(dir);
  const ws = Workspace.open(dir);
  const docs = join(dir, '.flow', 'documents');
  mkdirSync(docs, { recursive: true });
  const final = join(docs, 'a.md');
  const tmp = `${final}.restore-abcd1234`; // the exact form restore writes
  writeFileSync(final, 'old text');
  writeFileSync(tmp, 'restored text');
  // A process that no longer exists wrote the journal (pid 2^22 + 1 is above Linux's default pid_max).
  writeFileSync(join(dir, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames: [[tmp, final]], pid: 4194305, host: hostname() }));
  if (committed) setSetting(ws.db, 'pending_restore', 't1');
  ws.close();
  return { dir, final, tmp };
}

describe('a restore interrupted between the database and the files', () => {
  it('committed: the next open finishes the renames', () => {
    const { dir, final, tmp } = crashedRestore(true);
    Workspace.open(dir).close();
    expect(readFileSync(final, 'utf8')).toBe('restored text');
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(join(dir, '.flow', 'restore-journal.json'))).toBe(false);
  });

  it('not committed: the temporary files go and the old files stay', () => {
    const { dir, final, tmp } = crashedRestore(false);
    Workspace.open(dir).close();
    expect(readFileSync(final, 'utf8')).toBe('old text');
    expect(existsSync(tmp)).toBe(false);
  });

  it('a restore still running in another process is left alone', () => {
    const { dir, final, tmp } = crashedRestore(false);
    const j = join(dir, '.flow', 'restore-journal.json');
    writeFileSync(j, JSON.stringify({ ...JSON.parse(readFileSync(j, 'utf8')), pid: process.ppid }));
    Workspace.open(dir).close();
    expect(existsSync(tmp)).toBe(true);
    expect(readFileSync(final, 'utf8')).toBe('old text');
  });
});
