// "One caller cannot stall everyone", for imports, over the real HTTP server process: an import asked
// for through MCP commits in parts and hands the server's one thread on between them, so other
// sessions are answered while it runs, and the caller hears its progress. Asserted by order (the import
// is held between two parts by a test pause that does not hold the event loop; the other session is
// answered meanwhile), never by a timing threshold.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { httpServersPerTest } from '../helpers/http-server.js';
import { letGo, pauseEnv, reached } from '../helpers/pause.js';
import { tempDirPerTest } from '../helpers/workspace.js';

// Folders first: afterEach hooks run last-registered first, so the servers stop before their folders go.
const temp = tempDirPerTest();
const http = httpServersPerTest();

/** A list-layout flows.json of `flows` flows with ten tasks each. */
function legacyFlows(dir: string, flows: number): void {
  const list = Array.from({ length: flows }, (_, f) => ({
    id: `flow_${f}`,
    name: `Flow ${f}`,
    plans: [{ id: `plan_${f}`, name: 'Default Plan', tasks: Array.from({ length: 10 }, (_, t) => ({ id: `task_${f}_${t}`, name: `Task ${t} of flow ${f}`, status: 'todo' })) }],
  }));
  writeFileSync(join(dir, 'flows.json'), JSON.stringify({ flows: list }));
}

describe('an import through MCP does not hold the other sessions', () => {
  it('answers another session between the parts of a 25,000-task import, which reports its progress', async () => {
    const dir = temp();
    const sync = temp();
    legacyFlows(dir, 2500);
    const server = await http.start(dir, [], { FLOW_EMBEDDER: 'none', ...pauseEnv(sync, 'import.part') });
    const a = await http.connect(server.url, { name: 'importer' });
    const b = await http.connect(server.url, { name: 'bystander' });
    const progress: { progress: number; total?: number }[] = [];
    let settled = false;
    const importing = a.client
      .callTool({ name: 'command', arguments: { text: '/flow import flows.json' } }, CallToolResultSchema, {
        onprogress: (p) => progress.push(p),
        timeout: 120_000,
        resetTimeoutOnProgress: true,
      })
      .finally(() => (settled = true));
    importing.catch(() => undefined); // a failed assertion below must not leave it unhandled
    // The import has committed its first part and is held before the next one.
    await reached(sync, 'import.part', 1, 60_000);
    await b.client.ping();
    // The first part is there, the last is not yet (legacy ids name the imported flows).
    expect((await b.call('flow', { action: 'get', id: 'flow_0' })).isError).toBeFalsy();
    expect((await b.call('flow', { action: 'get', id: 'flow_2499' })).structuredContent.error).toMatchObject({ code: 'not_found' });
    const made = await b.call('flow', { action: 'create', name: 'Written while the import waits' });
    expect(made.isError, JSON.stringify(made.structuredContent)).toBeFalsy(); // and another session can write meanwhile
    expect(settled).toBe(false);
    letGo(sync, 'import.part');
    const done = (await importing) as unknown as { structuredContent: { result: { created: { flows: number; tasks: number } } } };
    expect(done.structuredContent.result.created).toMatchObject({ flows: 2500, tasks: 25_000 });
    // Progress came part by part, against the whole file's task count, ending at all of it.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === 25_000)).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((x, y) => x - y));
    expect(progress[progress.length - 1]!.progress).toBe(25_000);
    expect((await b.call('flow', { action: 'get', id: 'flow_2499' })).isError).toBeFalsy();
  }, 120_000);
});
