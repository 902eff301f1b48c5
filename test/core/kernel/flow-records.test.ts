// What in .flow/ shows a project was used, when flow.db is gone: snapshot payloads (only the names
// flowmcp writes), a document file at any depth (never through a symbolic link), context files.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFilePresent, recordsOfAProject } from '../../../src/core/kernel/flow-records.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

function flowDir(): string {
  const f = join(scratch(), '.flow');
  mkdirSync(f);
  return f;
}

describe('recordsOfAProject', () => {
  it('counts snapshot payloads by the names flowmcp writes', () => {
    const f = flowDir();
    mkdirSync(join(f, 'snapshots', 'blobs'), { recursive: true });
    writeFileSync(join(f, 'snapshots', 'blobs', 'ab'.repeat(32)), 'text');
    writeFileSync(join(f, 'snapshots', 'readme.txt'), 'x');
    expect(recordsOfAProject(f)).toBeUndefined();
    writeFileSync(join(f, 'snapshots', 's-a1.full.json.gz'), 'x');
    writeFileSync(join(f, 'snapshots', 's-a2.patch.json.gz'), 'x');
    expect(recordsOfAProject(f)).toBe('2 snapshots in .flow/snapshots');
  });

  it('documents and context files alone are not a lost database: a clone or a copy brings them to a new project', () => {
    const f = flowDir();
    mkdirSync(join(f, 'documents', 'a'), { recursive: true });
    writeFileSync(join(f, 'documents', 'a', 'n.md'), '# n');
    mkdirSync(join(f, 'context'));
    writeFileSync(join(f, 'context', 'f-ab12.json'), '{}');
    expect(recordsOfAProject(f)).toBeUndefined();
  });
});

describe('databaseFilePresent', () => {
  it('is true for any entry named flow.db, false when there is none', () => {
    const f = flowDir();
    expect(databaseFilePresent(f)).toBe(false);
    symlinkSync(join(f, 'nowhere'), join(f, 'flow.db'));
    expect(databaseFilePresent(f)).toBe(true);
  });
});
