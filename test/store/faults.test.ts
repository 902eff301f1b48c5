// Storage faults are named where they happen: SQLite and file-system codes a person can act on become
// coded FlowErrors that say what to do; anything else passes through untouched (it is a bug, not advice).
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/model/errors.js';
import { faultOf, mapFaults, placeOf, storageError } from '../../src/store/faults.js';

const err = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('storage faults', () => {
  it('classifies SQLite and file-system codes', () => {
    expect(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'].map((c) => faultOf(err(c)))).toEqual(['busy', 'busy', 'busy']);
    expect(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'].map((c) => faultOf(err(c)))).toEqual(['disk_full', 'disk_full', 'disk_full']);
    expect(['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'EACCES', 'EPERM', 'EROFS'].map((c) => faultOf(err(c)))).toEqual(Array(5).fill('read_only'));
    expect(['SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB'].map((c) => faultOf(err(c)))).toEqual(['damaged', 'damaged', 'damaged']);
    expect(['SQLITE_IOERR', 'SQLITE_IOERR_FSYNC', 'EIO'].map((c) => faultOf(err(c)))).toEqual(['io', 'io', 'io']);
    for (const c of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_MISUSE', 'SQLITE_BUSYNESS', 'ENOENT', '']) expect(faultOf(err(c)), c).toBeUndefined();
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
