// `flowmcp run /flow add task "Write tests" --priority high`: one /flow command (or plain language)
// through the same `command` tool an MCP client calls.
import { z } from 'zod';
import { FlowError } from '../model/errors.js';
import { MAX_COMMAND_CHARS } from '../core/schemas/command.js';
import { dispatchAsync } from '../tools/dispatch.js';
import { findToolSpec } from '../tools/registry.js';
import { defineCommand, onOff } from './command.js';
import { emit, emitError } from './output.js';
import { withProject } from './with-project.js';
import { commandOnlyReads } from './command-reads.js';

export const runCommand = defineCommand({
  name: 'run',
  args: '"/flow …"',
  summary: ['one /flow command or plain language ("what\'s next?"); --dry-run shows what it would do'],
  flags: z.object({ dry_run: onOff('dry-run', 'say what the command would do, change nothing') }),
  positionals: z.array(z.string()).min(1, 'run needs a command: flowmcp run "/flow next"'),
  // The /flow grammar has its own flags (--priority, --plan, …) and refuses the ones a verb lacks.
  passthrough: ['confirm'],
  async run({ flags, args, rest }, global) {
    // The shell split the line; put it back together, quoting what had spaces.
    const words = args.length === 1 ? args : args.map((p) => (/\s/.test(p) ? JSON.stringify(p) : p));
    const passed = Object.entries(rest).map(([k, v]) => (v === true ? `--${k}` : `--${k} ${/\s/.test(String(v)) ? JSON.stringify(v) : String(v)}`));
    const text = [...words, ...passed].join(' ');
    // Said here rather than by the command tool, whose hint names its own argument (--text), which run lacks;
    // measured as that tool measures it (trimmed), and before a project is opened or made.
    const length = text.trim().length;
    if (length > MAX_COMMAND_CHARS) {
      return emitError(
        'run',
        new FlowError(
          'invalid_input',
          `run: the command is ${length.toLocaleString('en-US')} characters; a /flow command is at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')}. Nothing was changed.`,
          'Keep the command short and give long text through the command that stores it, e.g. flowmcp task create "Title" --description "$(cat notes.md)", flowmcp context save --summary "…", or flowmcp document write notes/x.md --content - < x.md.',
        ),
        global.json,
      );
    }
    const spec = findToolSpec('command')!;
    return withProject(global.dir, async (call) => emit(await dispatchAsync(spec, call, { text, ...(flags.dry_run ? { dry_run: true } : {}) }), global.json), 'cli', {
      readsOnly: flags.dry_run === true || (() => commandOnlyReads(text)),
    });
  },
});
