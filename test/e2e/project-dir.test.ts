// Where the server keeps .flow/: --dir, else FLOW_DIR, else the client's first root, else the cwd.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const made: string[] = [];
function dir(): string {
  const d = tempDir();
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function createFlowVia(opts: Parameters<typeof connect>[0]) {
  const s = await connect(opts);
  try {
    const r = await s.call('flow', { action: 'create', name: 'here' });
    expect(r.isError).toBeFalsy();
    return s.stderr();
  } finally {
    await s.close();
  }
}

describe('project directory', () => {
  it('uses the client roots when neither --dir nor FLOW_DIR is given', async () => {
    const root = dir();
    const cwd = dir();
    const log = await createFlowVia({ roots: [root], cwd });
    expect(existsSync(join(root, '.flow', 'flow.db'))).toBe(true);
    expect(existsSync(join(cwd, '.flow'))).toBe(false);
    expect(log).toContain('(from roots)');
  });

  it('FLOW_DIR wins over roots, and --dir wins over FLOW_DIR', async () => {
    const envDir = dir();
    const flagDir = dir();
    const root = dir();
    await createFlowVia({ env: { FLOW_DIR: envDir }, roots: [root], cwd: dir() });
    expect(existsSync(join(envDir, '.flow', 'flow.db'))).toBe(true);
    expect(existsSync(join(root, '.flow'))).toBe(false);
    await createFlowVia({ dir: flagDir, env: { FLOW_DIR: envDir } });
    expect(existsSync(join(flagDir, '.flow', 'flow.db'))).toBe(true);
  });

  it('falls back to the working directory for a client without roots', async () => {
    const cwd = dir();
    await createFlowVia({ cwd });
    expect(existsSync(join(cwd, '.flow', 'flow.db'))).toBe(true);
  });

  it('an unusable project directory is an error result that names it, and the server keeps answering', async () => {
    const missing = join(dir(), 'no-such-project');
    const s = await connect({ dir: missing });
    try {
      const r = await s.call('flow', { action: 'list' });
      expect(r.isError).toBe(true);
      expect(r.structuredContent.error.message).toContain(`Project directory ${missing} does not exist`);
      expect(existsSync(missing)).toBe(false);
      expect((await s.client.listTools()).tools.map((t) => t.name)).toContain('task');
    } finally {
      await s.close();
    }
  });
});
