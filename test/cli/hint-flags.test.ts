// Every flag a CLI refusal or hint names exists for the command it names: `Pass --flow-id` must not be
// said to `task create`, which takes no --flow-id. Walks every action of every tool noun, as the CLI
// runs it (its argument check, then the tool, then the CLI's wording), with no arguments, with the
// required ones, and with ids that name nothing, in a project with no flow, and in one with a flow of
// two plans seen from a session that chose none; each --flag in the answer is checked against the
// command the sentence names (`plan list --flow-id …`), else the command that answered.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedValues, flagName, GlobalFlags } from '../../src/cli/command.js';
import { cliToolArgs } from '../../src/cli/tool.js';
import { CLI_EXTRA, SWITCHES } from '../../src/cli/tool-words.js';
import { cliError } from '../../src/cli/wording.js';
import { actionJsonSchema } from '../../src/tools/advertise.js';
import type { ToolSpec } from '../../src/tools/define.js';
import { asFlowError, dispatchAsync } from '../../src/tools/dispatch.js';
import { findToolSpec, TOOLS } from '../../src/tools/registry.js';
import { isFlowError } from '../../src/model/errors.js';
import type { Call } from '../../src/core/kernel/workspace.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

/** The tool nouns the CLI takes as commands; `command` answers in /flow words, checked by the grammar's own tests. */
const NOUNS = TOOLS.filter((s) => s.name !== 'command');
const ALIASES: Record<string, string> = { doc: 'document', docs: 'document' };

function flagsOf(spec: ToolSpec, action: string): Set<string> {
  const props = Object.keys(actionJsonSchema(spec, action).properties ?? {}).filter((k) => k !== 'action');
  // The command line's own flags beyond the schema (`context save --why`) exist too.
  const extra = Object.values(CLI_EXTRA[`${spec.name} ${action}`] ?? {}).flatMap((u) => [...u.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]));
  return new Set([...[...props, ...Object.keys(GlobalFlags.shape), ...SWITCHES].map(flagName), ...extra]);
}

/** A CLI word for a required argument the schema will take: a listed value, a number, or a name that names nothing. */
function placeholder(spec: ToolSpec, action: string, key: string): string {
  const shape = spec.actions[action]!.schema.shape as Record<string, z.ZodType>;
  const values = allowedValues(shape[key]!);
  if (values) return values[0]!;
  const prop = (actionJsonSchema(spec, action).properties as Record<string, unknown> | undefined)?.[key] as { type?: string; anyOf?: { type?: string }[] } | undefined;
  const types = [prop?.type, ...(prop?.anyOf ?? []).map((p) => p.type)];
  if (types.includes('integer') || types.includes('number')) return '1';
  if (key === 'path') return 'nope.md';
  if (key === 'paths') return 'nope/*.md';
  if (key === 'tasks') return '[{"title": "nope"}]';
  return 'nope';
}

/** What the CLI would say for this command line: the refusal's message and hint, in CLI words, or undefined when it ran. */
async function cliAnswer(call: Call, spec: ToolSpec, action: string, flags: Record<string, string>): Promise<string | undefined> {
  let error;
  try {
    const args = cliToolArgs(spec, action, [], flags);
    const o = await dispatchAsync(spec, call, args);
    if (!o.isError) return undefined;
    error = o.structured.error as { message: string; hint?: string };
  } catch (e) {
    if (!isFlowError(e)) throw e;
    error = asFlowError(e);
  }
  const worded = cliError({ message: error.message, hint: error.hint });
  return `${worded.message}\n${worded.hint ?? ''}`;
}

/** Flags named in `text` that the command they are said for does not take: `task create --flow-id`. */
function wrongFlags(text: string, spec: ToolSpec, action: string): string[] {
  const wrong: string[] = [];
  for (const sentence of text.split(/[;\n]|\.\s/)) {
    for (const m of sentence.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) {
      // The nearest tool command named before the flag in the same sentence, else the one that answered.
      let named: [ToolSpec, string] = [spec, action];
      // (Overlapping: in "flowmcp task list --query" the pair is "task list", not "flowmcp task".)
      for (const c of sentence.slice(0, m.index).matchAll(/\b(?=([a-z]+) ([a-z_-]+))/g)) {
        const s = findToolSpec(ALIASES[c[1]!] ?? c[1]!);
        const a = c[2]!.replace(/-/g, '_');
        if (s && s.actions[a]) named = [s, a];
        else if (s?.actionless) named = [s, Object.keys(s.actions)[0]!];
      }
      if (!flagsOf(...named).has(m[0])) wrong.push(`${m[0]} (for ${named[0].name} ${named[1]})`);
    }
  }
  return wrong;
}

/** The states walked, each made fresh again after a command line that ran (it may have changed the state). */
const STATES: [string, () => TempWorkspace][] = [
  ['no flow', () => tempWorkspace()],
  [
    'a flow of two plans, no plan chosen',
    () => {
      const t = tempWorkspace();
      const { ok } = caller(t.call);
      const flow = ok('flow', { action: 'create', name: 'Two plans' }).flow.id;
      ok('plan', { action: 'create', title: 'One' });
      ok('plan', { action: 'create', title: 'Two' });
      ok('task', { action: 'create', title: 'A task' });
      t.call.session.setCurrent(flow, null);
      return t;
    },
  ],
];

describe('CLI hints name flags that exist', () => {
  it('for every action of every tool noun, in every state walked', async () => {
    const found: string[] = [];
    let answered = 0;
    for (const [state, make] of STATES) {
      let t = make();
      for (const spec of NOUNS) {
        for (const action of Object.keys(spec.actions)) {
          const shape = spec.actions[action]!.schema.shape as Record<string, z.ZodType>;
          // Required by the schema, or typed in place (a title that one of two arguments may stand for).
          const required = [...new Set([...(spec.actions[action]!.args ?? []), ...Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success)])].filter((k) => k !== 'confirm');
          const given = Object.fromEntries(required.map((k) => [k, placeholder(spec, action, k)]));
          const naming = Object.fromEntries(['flow_id', 'plan_id', 'task_id', 'id'].filter((k) => k in shape).map((k) => [k, k === 'id' ? 'nope' : 'x-nope']));
          for (const flags of [{}, given, { ...given, ...naming }]) {
            const text = await cliAnswer(t.call, spec, action, flags);
            if (text === undefined) {
              // It ran, and may have changed the state: the next command line starts from a fresh one.
              t.cleanup();
              t = make();
              continue;
            }
            answered++;
            for (const w of wrongFlags(text, spec, action)) found.push(`${state}: ${spec.name} ${action} ${JSON.stringify(flags)} → ${w}\n  ${text.replace(/\n/g, '\n  ')}`);
          }
        }
      }
      t.cleanup();
    }
    expect(answered).toBeGreaterThan(60); // the walk reached refusals, not only successes
    expect(found, found.join('\n')).toEqual([]);
  }, 120_000);
});

describe('claim and release in the other order', () => {
  it('a task id where the agent goes is said with the order and the command, and nothing is run; the right order reads', () => {
    const task = findToolSpec('task')!;
    const refusal = (action: string, positionals: string[]) => {
      try {
        cliToolArgs(task, action, positionals, {});
      } catch (e) {
        return { message: (e as Error).message, hint: (e as { hint?: string }).hint };
      }
      return undefined;
    };
    expect(refusal('claim', ['t-sbex', 'bob'])).toEqual({ message: 'task claim takes the agent first, then the task; "t-sbex" looks like the task. Nothing was claimed.', hint: 'flowmcp task claim bob t-sbex' });
    expect(refusal('release', ['bob', 't-sbex'])).toEqual({ message: 'task release takes the task first, then the agent; "t-sbex" looks like the task. Nothing was released.', hint: 'flowmcp task release t-sbex bob' });
    expect(cliToolArgs(task, 'claim', ['bob', 't-sbex'], {})).toMatchObject({ action: 'claim', agent: 'bob', id: 't-sbex' });
    expect(cliToolArgs(task, 'release', ['t-sbex', 'bob'], {})).toMatchObject({ action: 'release', id: 't-sbex', agent: 'bob' });
  });
});
