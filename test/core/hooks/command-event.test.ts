// A /flow command that ran is a `command` event in the log, in-process through dispatchAsync — written
// only while a post hook listens for commands (or for everything), with what was run, by whom, in which
// flow and how it ended; a project with no such hook keeps a log of changes only.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { userConfigWorkspacePerTest } from '../../helpers/hooks.js';
import type { TempWorkspace } from '../../helpers/workspace.js';

const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
beforeEach(() => ({ t, cfg } = fresh()));

function postHooks(...events: string[][]): void {
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks: events.map((e, i) => ({ name: `h${i}`, when: 'post', events: e, run: ['true'] })) }));
}

function commandRows(): Record<string, any>[] {
  return t.ws.db.prepare("SELECT * FROM events WHERE action = 'command.run' ORDER BY 1").all() as Record<string, any>[];
}

describe('the command event', () => {
  it('is recorded while a post hook listens for commands: the text, the session, the current flow, the outcome', async () => {
    const c = asyncCaller(t.call);
    const flow = (await c.ok('flow', { action: 'create', name: 'F' })).flow.id as string;
    postHooks(['task.created'], ['command']);
    await c.ok('command', { text: '/flow add plan Ship' });
    // A command whose change a pre hook refuses ran, and ended refused.
    const refuse = join(cfg, 'refuse.mjs');
    writeFileSync(refuse, "console.log('no more plans'); process.exit(1);\n");
    const cfgFile = join(cfg, 'config.json');
    const defs = JSON.parse(readFileSync(cfgFile, 'utf8')).hooks;
    writeFileSync(cfgFile, JSON.stringify({ hooks: [...defs, { name: 'no-plans', when: 'pre', events: ['plan.created'], run: [process.execPath, refuse] }] }));
    const bad = await c.raw('command', { text: '/flow add plan Another' });
    expect(bad.isError).toBe(true);
    // Help is no change run: not recorded.
    await c.ok('command', { text: '/flow help' });
    const rows = commandRows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ entity: 'command', entity_id: t.call.session.id, flow_id: flow, summary: '/flow add plan Ship' });
    expect(JSON.parse(rows[0]!.changes)).toEqual({ outcome: [null, 'ok'] });
    expect(JSON.parse(rows[1]!.changes)).toEqual({ outcome: [null, 'refused'] });
    expect((bad.structured.error as any).code).toBe('refused');
  });

  it('a hook on every event listens for commands too', async () => {
    const c = asyncCaller(t.call);
    await c.ok('flow', { action: 'create', name: 'F' });
    postHooks(['*']);
    await c.ok('command', { text: '/flow add plan Ship' });
    expect(commandRows()).toHaveLength(1);
  });

  it('is not recorded when no post hook listens for it (none, or only other events, or a pre hook)', async () => {
    const c = asyncCaller(t.call);
    await c.ok('flow', { action: 'create', name: 'F' });
    await c.ok('command', { text: '/flow add plan A' });
    postHooks(['task.created'], ['plan.created']);
    await c.ok('command', { text: '/flow add plan B' });
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks: [{ name: 'p', when: 'pre', events: ['*'], run: ['true'] }] }));
    await c.ok('command', { text: '/flow add plan C' });
    expect(commandRows()).toEqual([]);
  });
});
