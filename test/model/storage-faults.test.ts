// Storage faults are named where they happen: SQLite and file-system codes a person can act on become
// coded FlowErrors that say what to do; anything else passes through untouched (it is a bug, not advice).
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/model/errors.js';
import { faultOf, mapFaults, placeOf, storageError } from '../../src/model/storage-faults.js';

const err = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('storage faults', () => {
  it('classifies SQLite and file-system codes', () => {
    expect(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'].map((c) => faultOf(err(c)))).toEqual(['busy', 'busy', 'busy']);
    expect(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'].map((c) => faultOf(err(c)))).toEqual(['disk_full', 'disk_full', 'disk_full']);
    expect(['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'EACCES', 'EPERM', 'EROFS'].map((c) => faultOf(err(c)))).toEqual(Array(5).fill('read_only'));
    expect(['SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB'].map((c) => faultOf(err(c)))).toEqual(['damaged', 'damaged', 'damaged']);
    expect(['SQLITE_IOERR', 'SQLITE_IOERR_FSYNC', 'EIO'].map((c) => faultOf(err(c)))).toEqual(['io', 'io', 'io']);
    // A code only counts when it starts with the family's name: another code merely containing one is no storage fault.
    for (const c of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_MISUSE', 'SQLITE_BUSYNESS', 'ENOENT', '', 'X_SQLITE_BUSY', 'X_SQLITE_CORRUPT', 'X_SQLITE_IOERR']) {
      expect(faultOf(err(c)), c).toBeUndefined();
    }
    expect(faultOf(new FlowError('read_only', 'x'))).toBeUndefined(); // already named
  });

  it('says what to do, keeping the wording people and tests know', () => {
    const full = storageError(err('SQLITE_FULL'))!;
    expect(full.code).toBe('disk_full');
    expect(full.message).toBe('The disk holding .flow/ is full (SQLITE_FULL). Nothing was changed.');
    expect(full.hint).toMatch(/Free some space/);
    const ro = storageError(err('EROFS'))!;
    expect(ro.code).toBe('read_only');
    expect(ro.message).toMatch(/^\.flow\/ cannot be written by this process \(EROFS\)/);
    expect(ro.hint).toMatch(/writable/);
    expect(storageError(err('SQLITE_BUSY'), { busyMs: 10_000 })!.message).toMatch(/for more than 10 s/);
    expect(storageError(err('SQLITE_IOERR_WRITE'))!.code).toBe('storage');
    expect(storageError(err('SQLITE_CORRUPT'))!.hint).toMatch(/flowmcp recover/);
  });

  it('busy without a known wait says so without a time, and what to do', () => {
    const busy = storageError(err('SQLITE_BUSY'))!;
    expect(busy.code).toBe('busy');
    expect(busy.message).toBe('The project database is busy: another process held its write lock (SQLITE_BUSY). Nothing was changed.');
    expect(busy.hint).toBe(
      'Retry in a moment. If it stays busy, another flowmcp process (an assistant window, a CLI command, flowmcp recover) may be stuck mid-write: stop it and retry.',
    );
    expect(busy.details).toEqual({ fault: 'SQLITE_BUSY' });
  });

  it('damaged names flow.db for .flow/ and the given place otherwise, and says to recover', () => {
    const db = storageError(err('SQLITE_CORRUPT'))!;
    expect(db.code).toBe('damaged');
    expect(db.message).toBe('.flow/flow.db is damaged (SQLITE_CORRUPT). Nothing was changed.');
    expect(db.hint).toBe('Run flowmcp recover: it keeps the damaged file aside and rebuilds the database from .flow/snapshots and .flow/documents.');
    const file = storageError(err('SQLITE_NOTADB'), { where: '.flow/hooks.db' })!;
    expect(file.code).toBe('damaged');
    expect(file.message).toBe('.flow/hooks.db is damaged (SQLITE_NOTADB). Nothing was changed.');
  });

  it('an I/O error is a storage fault that says to check the disk', () => {
    const io = storageError(err('EIO'), { where: '/home/me/' })!;
    expect(io.code).toBe('storage');
    expect(io.message).toBe('/home/me/ could not be read or written: the disk or file system reported an I/O error (EIO). Nothing was changed.');
    expect(io.hint).toBe(
      'Check the disk and the file system holding the project (is it still mounted? does the system log show disk errors?), then retry; if flow.db turns out damaged, flowmcp recover rebuilds it.',
    );
  });

  it('the fault the caller names wins over the code, and an error without a code quotes none', () => {
    const ro = storageError(err('SQLITE_CANTOPEN'), { where: '/p/.flow/', fault: 'read_only' })!;
    expect(ro.code).toBe('read_only');
    expect(ro.message).toBe('/p/.flow/ cannot be written by this process (SQLITE_CANTOPEN). Nothing was changed.');
    const bare = storageError(new Error('no code'), { fault: 'disk_full' })!;
    expect(bare.code).toBe('disk_full');
    expect(bare.details).toEqual({ fault: '' });
    expect(storageError(new Error('no code'))).toBeUndefined();
  });

  it('mapFaults passes anything that is no storage fault on as it was', () => {
    const bug = new TypeError('x is undefined');
    expect(() => mapFaults(() => { throw bug; })).toThrow(bug);
    expect(() => mapFaults(() => { throw err('ENOSPC'); })).toThrow(expect.objectContaining({ code: 'disk_full' }));
    expect(mapFaults(() => 42)).toBe(42);
  });

  it('names .flow/ for anything under it, else the folder', () => {
    expect(placeOf('/p/.flow/documents/a.md')).toBe('.flow/');
    expect(placeOf('/p/.flow', { isDir: true })).toBe('.flow/');
    expect(placeOf('/home/me/out.json')).toBe('/home/me/');
  });
});
