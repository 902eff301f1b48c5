// Splits a command line into words the way a shell would: spaces separate, "double" and 'single'
// quotes (and “curly” ones, which chat clients like to produce) keep a phrase together.
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  const closers: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };
  for (const ch of text) {
    if (quote) {
      if (ch === closers[quote]) quote = null;
      else cur += ch;
      continue;
    }
    if (ch in closers) {
      quote = ch;
      has = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += ch;
    has = true;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Flags (`--name value`, `--name=value`, `--switch`) apart from the other words. */
export function splitFlags(words: string[], booleans: ReadonlySet<string>): { positionals: string[]; flags: Record<string, string | true> } {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = (eq > 0 ? w.slice(2, eq) : w.slice(2)).replace(/-/g, '_').toLowerCase();
      if (eq > 0) flags[name] = w.slice(eq + 1);
      else if (booleans.has(name) || i + 1 >= words.length || words[i + 1]!.startsWith('--')) flags[name] = true;
      else flags[name] = words[++i]!;
    } else positionals.push(w);
  }
  return { positionals, flags };
}
