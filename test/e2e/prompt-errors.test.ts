// The resume prompt asked for a flow that does not exist, through a real server process and the SDK's
// real Client: a JSON-RPC "invalid params" error that says the flow does not exist and how to list
// flows, never the catch-all internal error (-32603).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let s: Connected | undefined;
beforeAll(() => {
  dir = tempDir();
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prompt errors', () => {
  it('resume with a flow that does not exist is invalid params with what to do', async () => {
    s = await connect({ dir });
    const flow = (await s.call('flow', { action: 'create', name: 'Auth rewrite' })).structuredContent.flow.id as string;
    const err = await s.client.getPrompt({ name: 'resume', arguments: { flow_id: 'nope' } }).then(
      () => undefined,
      (e: unknown) => e as { code: number; message: string },
    );
    expect(err, 'the prompt unexpectedly answered').toBeDefined();
    expect(err!.code).toBe(-32602);
    expect(err!.message).toContain('No flow "nope".');
    expect(err!.message).toContain('flow list');
    // A near name is suggested, as tools do.
    const near = await s.client.getPrompt({ name: 'resume', arguments: { flow_id: 'auth rewirte' } }).catch((e: { message: string }) => e);
    expect((near as { message: string }).message).toContain(`Did you mean ${flow} ("Auth rewrite")?`);
  }, 60_000);
});
