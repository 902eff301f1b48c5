// Opening and closing a project in this process: a missing folder is refused with what to pass, an
// interrupted recover keeps the project shut, and closing runs every closer (a failing one said on
// stderr) before the database closes. (Read-only and permission faults need another user: they are
// tested over the real CLI run as nobody, in test/e2e and test/failure.)
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('a folder still holding a client variable (${workspaceFolder} left as typed) says the client did not fill it in', () => {
    for (const variable of ['${workspaceFolder}', '$HOME']) {
      const dir = join(scratch(), variable);
      const e = caught<FlowError>(() => Workspace.open(dir));
      expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
        code: 'invalid_input',
        message: `Project directory ${dir} does not exist or is not a directory. It still holds ${variable}: the MCP client did not fill that variable in.`,
        hint: "Write the project folder's absolute path in the client's config in place of the variable (or leave --dir out where the client starts servers in the project or reports it as a root).",
      });
      expect(existsSync(dir)).toBe(false);
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

  it('a lost flow.db is not replaced by an empty one while snapshots remain: refused, naming recover', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    mkdirSync(join(flowDir, 'snapshots'), { recursive: true });
    writeFileSync(join(flowDir, 'snapshots', 's-abcd.full.json.gz'), 'x');
    const e = caught<FlowError>(() => Workspace.open(dir));
    expect(e.code).toBe('storage');
    expect(e.message).toMatch(/still holds 1 snapshot in \.flow\/snapshots:/);
    expect(e.message).toMatch(/is missing, .* no new, empty database was made\. Nothing was changed\.$/);
    expect(e.hint).toMatch(/^Run flowmcp recover: /);
    expect(existsSync(join(flowDir, 'flow.db'))).toBe(false);
    // The refusal lets go of the project: recover (which needs it alone) can open it.
    Workspace.open(dir, { recovering: true }).close();
    expect(existsSync(join(flowDir, 'flow.db'))).toBe(true);
    Workspace.open(dir).close();
  });

  it('flow documents and context files without a database (copied, or brought by a clone) open as a new project', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    mkdirSync(join(flowDir, 'documents', 'notes'), { recursive: true });
    writeFileSync(join(flowDir, 'documents', 'notes', 'a.md'), '# A');
    mkdirSync(join(flowDir, 'context'), { recursive: true });
    writeFileSync(join(flowDir, 'context', 'f-abcd.json'), '{}');
    Workspace.open(dir).close();
    expect(existsSync(join(flowDir, 'flow.db'))).toBe(true);
    expect(existsSync(join(flowDir, 'documents', 'notes', 'a.md'))).toBe(true);
  });

  it('a .flow/ holding nothing of a project (a folder made, a config written) opens as a new project', () => {
    const dir = scratch();
    mkdirSync(join(dir, '.flow', 'documents', 'empty-folder'), { recursive: true });
    mkdirSync(join(dir, '.flow', 'snapshots', 'blobs'), { recursive: true });
    writeFileSync(join(dir, '.flow', 'config.json'), '{}');
    writeFileSync(join(dir, '.flow', 'snapshots', 'notes.txt'), 'not a payload');
    Workspace.open(dir).close();
    expect(existsSync(join(dir, '.flow', 'flow.db'))).toBe(true);
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
