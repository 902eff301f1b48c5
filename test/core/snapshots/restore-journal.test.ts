// The file half of a restore interrupted by a crash: after a committed database transaction the next
// open finishes the renames; without one, the temporary files are removed and the old files stay.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { setSetting } from '../../../src/store/settings.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest, workspacePerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();
const victimsDir = tempDirPerTest('flowmcp-victim-');
const workspace = workspacePerTest();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** What `fn` says on stderr: where a refused journal says why. */
function saidWhile(fn: () => void): string {
  const said: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return said.join('');
}

/** What opening (and closing) the project says on stderr. */
const saidWhileOpening = (dir: string): string => saidWhile(() => Workspace.open(dir).close());

function crashedRestore(committed: boolean): { dir: string; final: string; tmp: string } {
  const dir = scratch();
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

  it('committed, from an older version that wrote absolute paths: a document in a subfolder is finished where it belongs', () => {
    const dir = scratch();
    const ws = Workspace.open(dir);
    const notes = join(dir, '.flow', 'documents', 'notes');
    mkdirSync(notes, { recursive: true });
    const final = join(notes, 'a.md');
    writeFileSync(final, 'old text');
    writeFileSync(`${final}.restore-abcd1234`, 'restored text');
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames: [[`${final}.restore-abcd1234`, final]], pid: 4194305, host: hostname() }));
    setSetting(ws.db, 'pending_restore', 't1');
    ws.close();
    Workspace.open(dir).close();
    expect(readFileSync(final, 'utf8')).toBe('restored text');
    expect(readdirSync(notes)).toEqual(['a.md']);
  });

  it('committed, and the crash came between two renames: the next open finishes the one left', () => {
    const { dir, final, tmp } = crashedRestore(true);
    // The journal's first entry was already renamed when the process died; its second was not.
    const first = join(dir, '.flow', 'documents', 'first.md');
    writeFileSync(first, 'restored first');
    const j = join(dir, '.flow', 'restore-journal.json');
    const journal = JSON.parse(readFileSync(j, 'utf8'));
    writeFileSync(j, JSON.stringify({ ...journal, renames: [[`${first}.restore-abcd1234`, first], ...journal.renames] }));
    Workspace.open(dir).close();
    expect(readFileSync(first, 'utf8')).toBe('restored first');
    expect(readFileSync(final, 'utf8')).toBe('restored text');
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(j)).toBe(false);
  });

  it('not committed, and the crash came between the cleanup of the temporary files and of the journal: the journal goes', () => {
    const { dir, final, tmp } = crashedRestore(false);
    rmSync(tmp);
    Workspace.open(dir).close();
    expect(readFileSync(final, 'utf8')).toBe('old text');
    expect(existsSync(join(dir, '.flow', 'restore-journal.json'))).toBe(false);
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

// .flow/ may come from a cloned repository: a journal naming files outside .flow/documents/ must
// make flowmcp touch nothing, be kept aside (not deleted) and be reported.
describe('a hostile restore journal', () => {
  function hostile(renames: [string, string][], committed: boolean): { dir: string } {
    const dir = scratch();
    const ws = Workspace.open(dir);
    mkdirSync(join(dir, '.flow', 'documents'), { recursive: true });
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames, pid: 4194305, host: hostname() }));
    if (committed) setSetting(ws.db, 'pending_restore', 't1');
    ws.close();
    return { dir };
  }
  const rejected = (dir: string) => readdirSync(join(dir, '.flow')).filter((f) => f.startsWith('restore-journal.rejected-'));

  it('an uncommitted one naming a file elsewhere does not delete it', () => {
    const victims = victimsDir();
    const victim = join(victims, 'precious.txt');
    writeFileSync(victim, 'keep me');
    const { dir } = hostile([[victim, join(victims, 'other.md')]], false);
    Workspace.open(dir).close();
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, '.flow', 'restore-journal.json'))).toBe(false);
    expect(rejected(dir)).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, '.flow', rejected(dir)[0]!), 'utf8')).renames[0][0]).toBe(victim);
  });

  it('a committed one naming files elsewhere overwrites nothing', () => {
    const victims = victimsDir();
    const src = join(victims, 'a.md.restore-abcd1234');
    const dst = join(victims, 'a.md');
    writeFileSync(src, 'attacker text');
    writeFileSync(dst, 'victim text');
    const { dir } = hostile([[src, dst]], true);
    Workspace.open(dir).close();
    expect(readFileSync(dst, 'utf8')).toBe('victim text');
    expect(readFileSync(src, 'utf8')).toBe('attacker text');
    expect(rejected(dir)).toHaveLength(1);
  });

  it('relative paths climbing out, odd temporary names and symlinks out are refused the same way', () => {
    const victims = victimsDir();
    const dst = join(victims, 'b.md');
    writeFileSync(dst, 'victim text');
    for (const renames of [
      [['../../../' + dst + '.restore-abcd1234', '../../../' + dst]],
      [['notes/a.md.bak', 'notes/a.md']], // not the exact form restore writes
      [['escape/b.md.restore-abcd1234', 'escape/b.md']], // through a symlink that leads out
    ] as [string, string][][]) {
      const { dir } = hostile(renames, true);
      symlinkSync(victims, join(dir, '.flow', 'documents', 'escape'));
      mkdirSync(join(dir, '.flow', 'documents', 'notes'));
      writeFileSync(join(dir, '.flow', 'documents', 'notes', 'a.md.bak'), 'x');
      writeFileSync(join(victims, 'b.md.restore-abcd1234'), 'attacker text');
      Workspace.open(dir).close();
      expect(readFileSync(dst, 'utf8'), JSON.stringify(renames)).toBe('victim text');
      expect(existsSync(join(victims, 'b.md.restore-abcd1234'))).toBe(true);
      expect(readFileSync(join(dir, '.flow', 'documents', 'notes', 'a.md.bak'), 'utf8')).toBe('x');
      expect(rejected(dir)).toHaveLength(1);
    }
  });

  it('one that does not parse is kept aside, not deleted', () => {
    const { dir } = hostile([], false);
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), '{"token": 1, "renames": "rm -rf /"}');
    Workspace.open(dir).close();
    expect(rejected(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, '.flow', rejected(dir)[0]!), 'utf8')).toContain('rm -rf');
  });

  it('one that is not JSON, or not a journal, says which', () => {
    const { dir } = hostile([], false);
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), '{"token": "t1", "renames": [');
    expect(saidWhileOpening(dir)).toMatch(/was not acted on \(it does not parse: .*JSON/);
    const other = hostile([], false).dir;
    writeFileSync(join(other, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames: [['a.md.restore-abcd1234', 5]], pid: 4194305, host: hostname() }));
    // The field at fault is named by its path in the journal.
    expect(saidWhileOpening(other)).toMatch(/was not acted on \(it is not a restore journal: renames\.0\.1: .*string/);
    expect(rejected(dir)).toHaveLength(1);
    expect(rejected(other)).toHaveLength(1);
  });

  it('the name it is kept under says when, in characters every file system takes', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.006Z'));
    const { dir } = hostile([['../a.md.restore-abcd1234', '../a.md']], true);
    const aside = join(dir, '.flow', 'restore-journal.rejected-2026-01-02T03-04-05-006Z.json');
    expect(saidWhileOpening(dir)).toContain(`It is kept as ${aside}: look at it, then delete it.`);
    expect(rejected(dir)).toEqual(['restore-journal.rejected-2026-01-02T03-04-05-006Z.json']);
    expect(JSON.parse(readFileSync(aside, 'utf8')).renames).toEqual([['../a.md.restore-abcd1234', '../a.md']]);
  });

  it('one that cannot be moved aside stays where it is, is acted on not at all, and says so', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.006Z'));
    const victims = victimsDir();
    const victim = join(victims, 'a.md.restore-abcd1234');
    writeFileSync(victim, 'keep me');
    const { dir } = hostile([[victim, join(victims, 'a.md')]], false);
    // A folder already holds the name it would be kept under: the move fails.
    mkdirSync(join(dir, '.flow', 'restore-journal.rejected-2026-01-02T03-04-05-006Z.json', 'x'), { recursive: true });
    const said = saidWhileOpening(dir);
    expect(said).toMatch(/restore-journal\.json was not acted on \(an entry names a file .* is outside \.flow\/documents\/\), and could not be moved aside \(.+\); no file was touched\./);
    expect(JSON.parse(readFileSync(join(dir, '.flow', 'restore-journal.json'), 'utf8')).renames[0][0]).toBe(victim);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('a folder put where the journal goes while the project is open is kept aside by the next restore, which goes on', () => {
    const t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Checkout' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot.id;
    c.ok('flow', { action: 'create', name: 'Later' });
    // Opening the project refuses such a folder outright; one planted after the open meets the restore.
    mkdirSync(join(t.dir, '.flow', 'restore-journal.json', 'inside'), { recursive: true });
    let r: Record<string, unknown> = {};
    const said = saidWhile(() => (r = c.ok('snapshot', { action: 'restore', id: snap, confirm: true })));
    expect(said).toContain('restore-journal.json was not acted on (it is not a regular file); no file was touched.');
    expect(r.undo_snapshot).toMatch(/^s-/);
    expect(c.ok('flow', { action: 'list' }).flows.map((f: { name: string }) => f.name)).toEqual(['Checkout']);
    expect(rejected(t.dir)).toHaveLength(1);
    expect(existsSync(join(t.dir, '.flow', rejected(t.dir)[0]!, 'inside'))).toBe(true);
  });

  it('a huge one is kept aside without being read whole', () => {
    const { dir } = hostile([], false);
    // Sparse: 200 MB long, nothing on disk. Reading it whole would take the process's memory with it.
    truncateSync(join(dir, '.flow', 'restore-journal.json'), 200 * 1024 * 1024);
    expect(saidWhileOpening(dir)).toMatch(/more than any restore writes/);
    expect(rejected(dir)).toHaveLength(1);
    expect(existsSync(join(dir, '.flow', 'restore-journal.json'))).toBe(false);
  });
});

// Each check of a journal entry is a layer of its own: a test that only sees "kept aside" passes when
// one layer is gone and the next still refuses. The reason said on stderr names the layer that refused.
describe('a hostile restore journal: each refusal says which rule it broke', () => {
  function refusal(renames: (docs: string) => [string, string][], plant: (docs: string) => void = () => {}, docsFolder = true): string {
    const dir = scratch();
    const ws = Workspace.open(dir);
    const docs = join(dir, '.flow', 'documents');
    if (docsFolder) mkdirSync(docs, { recursive: true });
    plant(docs);
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames: renames(docs), pid: 4194305, host: hostname() }));
    setSetting(ws.db, 'pending_restore', 't1');
    ws.close();
    const said = saidWhileOpening(dir);
    expect(readdirSync(join(dir, '.flow')).filter((f) => f.startsWith('restore-journal.rejected-'))).toHaveLength(1);
    return said;
  }

  it('an absolute path outside .flow/documents/, or the folder itself', () => {
    const victims = victimsDir();
    const outside = join(victims, 'x.md');
    expect(refusal(() => [[`${outside}.restore-abcd1234`, outside]])).toContain(`${outside} is outside .flow/documents/`);
    expect(refusal((docs) => [[`${docs}.restore-abcd1234`, docs]])).toMatch(/documents is outside \.flow\/documents\//);
  });

  it('a path that is not written plainly, or climbs out', () => {
    expect(refusal(() => [['notes//a.md.restore-abcd1234', 'notes//a.md']])).toContain('notes//a.md is not a plain relative path)');
    expect(refusal(() => [['../a.md.restore-abcd1234', '../a.md']])).toContain('../a.md is not a plain relative path inside .flow/documents/');
  });

  it('a target that is not a document, or a temporary file that is not the target\'s', () => {
    expect(refusal(() => [['run.sh.restore-abcd1234', 'run.sh']])).toContain('run.sh is not a document file');
    expect(refusal(() => [['b.md.restore-abcd1234', 'a.md']])).toContain('b.md.restore-abcd1234 is not a restore temporary file of a.md');
    expect(refusal(() => [['a.md.restore-ABCD1234', 'a.md']])).toContain('is not a restore temporary file of a.md');
  });

  it('a folder or a symlink under either name', () => {
    expect(refusal(() => [['d.md.restore-abcd1234', 'd.md']], (docs) => mkdirSync(join(docs, 'd.md')))).toContain('d.md is not a regular file');
    const said = refusal(
      () => [['e.md.restore-abcd1234', 'e.md']],
      (docs) => {
        writeFileSync(join(docs, 'inside.md'), 'x');
        symlinkSync(join(docs, 'inside.md'), join(docs, 'e.md.restore-abcd1234'));
      },
    );
    expect(said).toContain('e.md.restore-abcd1234 is not a regular file');
  });

  it('a project with no .flow/documents/ folder', () => {
    expect(refusal(() => [['a.md.restore-abcd1234', 'a.md']], () => {}, false)).toContain('there is no .flow/documents/ folder');
  });
});

describe('whose restore a journal is', () => {
  function uncommitted(host: string, pid: number): { tmp: string } {
    const dir = scratch();
    Workspace.open(dir).close();
    const docs = join(dir, '.flow', 'documents');
    mkdirSync(docs, { recursive: true });
    const tmp = join(docs, 'a.md.restore-abcd1234');
    writeFileSync(tmp, 'restored text');
    writeFileSync(join(dir, '.flow', 'restore-journal.json'), JSON.stringify({ token: 't1', renames: [['a.md.restore-abcd1234', 'a.md']], pid, host }));
    Workspace.open(dir).close();
    return { tmp };
  }

  it('a process of this machine that is alive but another user\'s keeps its temporary files too', () => {
    // Asking whether another user's process lives answers EPERM (it exists; we may not signal it).
    // Tests run as root, for whom every signal is allowed, so the answer is given here by hand.
    const kill = process.kill.bind(process);
    vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      if (pid === 4194306) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM', errno: -1, syscall: 'kill' });
      return kill(pid, signal);
    });
    expect(existsSync(uncommitted(hostname(), 4194306).tmp)).toBe(true);
  });

  it('a live process of this machine keeps its temporary files; the same pid on another machine, or this very process, does not', () => {
    expect(existsSync(uncommitted(hostname(), process.ppid).tmp)).toBe(true);
    expect(existsSync(uncommitted(`not-${hostname()}`, process.ppid).tmp)).toBe(false);
    expect(existsSync(uncommitted(hostname(), process.pid).tmp)).toBe(false);
  });
});
