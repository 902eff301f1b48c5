// `flowmcp <noun> --help` and `flowmcp help <noun>` on the real binary: required arguments as <arg>,
// optional ones in [brackets], and the allowed values of every closed set spelled out — checked
// against the very zod schemas that parse the command line, for every action of every tool.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedValues, flagName } from '../../src/cli/command.js';
import { ALIASES, EITHER } from '../../src/cli/tool-words.js';
import { TOOLS } from '../../src/tools/registry.js';
import { CLI, assertBuilt } from '../helpers/server.js';

const help = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: '' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe('help for each noun', () => {
  it('shows what the README and a newcomer need: required, optional and allowed values', () => {
    assertBuilt();
    const task = help('task', '--help');
    expect(help('help', 'task')).toBe(task);
    expect(task).toMatch(/^ {2}set_status +<id> <status: todo\|in_progress\|blocked\|review\|done\|cancelled> \[--expected-revision N\]$/m);
    // One task by its title, or many with --tasks: one of the two, shown as the choice it is.
    expect(task).toMatch(/^ {2}create +\(<title> \| --tasks JSON\) .*\[--priority low\|medium\|high\|urgent\]/m);
    expect(task).toMatch(/^ {2}claim +<agent> \[<id>\]/m);
    expect(task).toMatch(/^ {2}delete +<id> \[--confirm\]$/m);
    expect(help('doc', '--help')).toMatch(/^ {2}write +<path> --content CONTENT \[/m);
    expect(help('search', '--help')).toContain('[--kind document|task|plan|context]');
    expect(help('snapshot', '--help')).toMatch(/^ {2}diff +<from> \[<to>\]$/m);
    // The README's `context save --decision … --why …`: --why is the command line's own, not the
    // schema's, and is shown beside the decision it explains.
    expect(help('context', '--help')).toMatch(/^ {2}save +.*\[--decision DECISION\] \[--why WHY\] \[--question/m);
  });

  it('a refused command line shows the same usage as help, arguments typed in place as <arg>', () => {
    const r = spawnSync(process.execPath, [CLI, 'task', 'move', 't-zz99'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hint: Write flowmcp task move <id> <plan_id> [<position>];');
    expect(help('task', '--help')).toMatch(/^ {2}move +<id> <plan_id> \[<position>\]$/m);
  });

  it('every argument of every action is marked as the schema parses it, enum values included', () => {
    for (const spec of TOOLS) {
      const text = help(spec.name, '--help');
      expect(help('help', ...(ALIASES[spec.name] ?? [spec.name]).slice(0, 1))).toBe(text);
      for (const [name, action] of Object.entries(spec.actions)) {
        const line = text.split('\n').find((l) => (spec.actionless ? l.startsWith(`  flowmcp ${spec.name}`) : l.startsWith(`  ${name} `) || l === `  ${name}`));
        expect(line, `${spec.name} ${name}\n${text}`).toBeDefined();
        const positional = action.args ?? [];
        for (const [key, schema] of Object.entries(action.schema.shape as Record<string, z.ZodType>)) {
          const optional = schema.safeParse(undefined).success;
          const written = positional.includes(key) ? `<${key}` : flagName(key);
          const either = EITHER[`${spec.name} ${name}`];
          const choice = either?.includes(key) ? line!.indexOf(either[0] === key ? `(${written}` : `| ${written}`) : -1;
          const at = choice >= 0 ? choice : line!.indexOf(optional ? `[${written}` : written);
          expect(at, `${spec.name} ${name} ${key} (${optional ? 'optional' : 'required'}): ${line}`).toBeGreaterThan(0);
          if (!optional && choice < 0) expect(line![at - 1], `${spec.name} ${name} ${key} is required: ${line}`).toBe(' ');
          const values = allowedValues(schema);
          if (values) expect(line!.slice(at), `${spec.name} ${name} ${key}`).toMatch(new RegExp(`^\\S*[ :]+${values.join('\\|')}[\\]>]`));
        }
      }
    }
  });

  it('flowmcp help serve puts every optional flag in [brackets], defaulted ones too', () => {
    const usage = help('help', 'serve').split('\n')[0]!;
    const main = help('--help');
    expect(main).toContain(usage);
    for (const flag of ['--http', '--port P', '--idle-seconds S', '--drain-seconds S', '--allowed-hosts a,b', '--allowed-origins a,b', '--max-body-mb MB', '--body-buffer-mb MB']) {
      expect(usage, flag).toContain(`[${flag}]`);
    }
    // Nothing outside brackets but the command itself: serve has no required flag.
    expect(usage.replace(/\[[^\]]*\]/g, '').trim()).toBe('flowmcp serve');
  });
});
