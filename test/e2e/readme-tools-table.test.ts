// The README's table "What to expect from the tools" names every argument each action takes, read from
// the action schemas that parse the calls: a newcomer (or a model given the README) learns of `plan
// list`'s paging or `task claim`'s flow_id there, or not at all. It left out both until this check.
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/tools/registry.js';
import { readme } from '../helpers/readme.js';

const table = (() => {
  const text = readme();
  const at = text.indexOf('### What to expect from the tools');
  return text.slice(at, text.indexOf('\n\n', text.indexOf('| tool |', at)));
})();

/** What the table lists for one action: `(…)` after its name (a search or command row has no action names). */
function listed(tool: string, action: string, actionless: boolean): string | undefined {
  const row = table.split('\n').find((l) => l.startsWith(`| \`${tool}\``));
  if (!row) return undefined;
  if (actionless) return /\| \((.*?)\) —/.exec(row)?.[1];
  // `depend` / `undepend` (id, depends_on): names written together share one list.
  const args = new RegExp(`\`${action}\`(?: / \`[a-z_]+\`)* \\(([^)]*)\\)|\`[a-z_]+\` / \`${action}\` \\(([^)]*)\\)`).exec(row)?.slice(1).find((x) => x !== undefined);
  // An action that takes nothing is named bare (`reindex`).
  return args ?? (row.includes(`\`${action}\``) ? '' : undefined);
}

describe('the README table of tools', () => {
  it('lists every action of every tool with every argument it takes', () => {
    expect(table).toContain('| tool | actions |');
    const missing: string[] = [];
    for (const spec of TOOLS) {
      for (const [name, action] of Object.entries(spec.actions)) {
        const args = listed(spec.name, name, !!spec.actionless);
        if (args === undefined) {
          missing.push(`${spec.name} ${name}: not in the table`);
          continue;
        }
        for (const key of Object.keys(action.schema.shape as Record<string, unknown>)) {
          if (!new RegExp(`\\b${key}\\b`).test(args)) missing.push(`${spec.name} ${name}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
