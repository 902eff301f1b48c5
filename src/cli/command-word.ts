// Which command a command line names: global flags written before it moved after it, and no command
// at all read as `serve` (started by an MCP client) or `help` (a person at a terminal). Read twice:
// by the launcher (launch.ts), before any bundle is loaded, to load only the one the command needs,
// and by the entry point (index.ts), to run it. So it imports nothing. Whether stdin is a terminal is
// asked only when no command is named: finding out loads node:tty (and node:net), ~3 ms of every start.

/** Whether stdin is a terminal, asked only when the answer matters. */
export type StdinIsTTY = () => boolean | undefined;

/** The commands that serve MCP: only these need the server, its SDK and the web face (dist/flowmcp-server.cjs). */
export const SERVING_COMMANDS: ReadonlySet<string> = new Set(['serve', 'ui']);

/**
 * `--dir DIR` and `--json` are global: written before the command (`flowmcp --dir ~/p task list`)
 * they are moved after it, where every command parses them.
 */
export function hoistGlobals(argv: readonly string[], stdinIsTTY: StdinIsTTY): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a.startsWith('--dir=')) globals.push(a);
    else if (a === '--dir' && i + 1 < argv.length) globals.push(a, argv[++i]!);
    else break;
  }
  if (i === argv.length) return globals.length ? [stdinIsTTY() ? 'help' : 'serve', ...globals] : [...argv];
  return [argv[i]!, ...argv.slice(i + 1), ...globals];
}

/** Whether this command line starts a server: no command from a client, `serve` or `ui`. */
export function servesMcp(argv: readonly string[], stdinIsTTY: StdinIsTTY): boolean {
  const [name] = hoistGlobals(argv, stdinIsTTY);
  return name === undefined ? !stdinIsTTY() : SERVING_COMMANDS.has(name);
}
