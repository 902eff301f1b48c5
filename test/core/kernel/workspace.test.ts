// Opening and closing a project in this process: a missing folder is refused with what to pass, an
// interrupted recover keeps the project shut, and closing runs every closer (a failing one said on
// stderr) before the database closes. (Read-only and permission faults need another user: they are
// tested over the real CLI run as nobody, in test/e2e and test/failure.)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { markerPath } from '../../../src/core/transfer/recover-marker.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('opening', () => {
  it('a folder that does not exist, or a file, is refused with what to pass; nothing is created', () => {
    const missing = join(scratch(), 'typo');
    const file = join(scratch(), 'a-file');
    writeFileSync(file, 'x');
    for (const dir of [missing, file]) {
      const e = caught<FlowError>(() => Workspace.open(dir));
      expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
        code: 'invalid_input',
        message: `Project directory ${dir} does not exist or is not a directory.`,
        hint: 'Pass an existing project root with --dir or FLOW_DIR (or open the project folder in your client); flowmcp keeps its data in .flow/ inside it.',
      });
    }
  });

  it('an interrupted recover keeps the project shut until its marker is gone', () => {
    const dir = scratch();
    Workspace.open(dir).close();
    writeFileSync(markerPath(join(dir, '.flow')), '{}');
    const e = caught<FlowError>(() => Workspace.open(dir));
    expect(e.code).toBe('storage');
    expect(e.message).toMatch(/^A recover was interrupted: .* so this project is not opened\. Nothing was changed\.$/);
    rmSync(markerPath(join(dir, '.flow')));
    Workspace.open(dir).close();
  });
});

describe('closing', () => {
  it('runs every closer, in order, before the database closes; a failing one is said on stderr and the rest still run', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'sub'));
    const ws = Workspace.open(dir);
    const ran: string[] = [];
    ws.onClose(() => ran.push(`first, db open: ${ws.db.open}`));
    ws.onClose(() => {
      throw new Error('boom');
    });
    ws.onClose(() => ran.push('third'));
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    try {
      ws.close();
      ws.close(); // twice is harmless, and runs nothing again
    } finally {
      spy.mockRestore();
    }
    expect(ran).toEqual(['first, db open: true', 'third']);
    expect(said.join('')).toBe('flowmcp warn: while closing the project: boom\n');
    expect(ws.db.open).toBe(false);
    // The project can be opened again at once: nothing of this workspace still holds it.
    Workspace.open(dir).close();
  });
});
