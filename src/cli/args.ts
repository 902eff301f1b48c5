// Splits a command line into positionals and --flags (kebab-case flags become snake_case keys;
// a repeated flag collects a list). Types are decided later, from the tool's schema.

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true | (string | true)[]>;
}

export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  const put = (k: string, v: string | true) => {
    const prev = flags[k];
    flags[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const key = (eq > 0 ? a.slice(2, eq) : a.slice(2)).replace(/-/g, '_');
      if (eq > 0) put(key, a.slice(eq + 1));
      else if (booleanFlags.has(key) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) put(key, true);
      else put(key, argv[++i]!);
    } else if (a === '-h') {
      put('help', true);
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags };
}
