// A stdio server given a project root that does not exist says so at start, on stderr, and still
// answers the handshake; each call is refused with the same reason.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

describe('serve --dir that does not exist', () => {
  it('says it at start on stderr, answers the handshake, refuses calls with the reason', async () => {
    const parent = tempDir();
    const missing = join(parent, 'no-such-project');
    const s = await connect({ dir: missing });
    try {
      // connect() has already initialized and listed the tools: the handshake was answered.
      const until = Date.now() + 5000;
      while (!s.stderr().includes('does not exist') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(s.stderr()).toContain(`project directory ${missing} (from --dir) does not exist`);
      const r = await s.call('flow', { action: 'list' });
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.structuredContent)).toContain('does not exist');
    } finally {
      await s.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('an existing directory starts without that warning', async () => {
    const dir = tempDir();
    const s = await connect({ dir });
    try {
      expect((await s.call('flow', { action: 'list' })).isError).toBeFalsy();
      expect(s.stderr()).not.toContain('does not exist');
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
