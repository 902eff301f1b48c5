// Word tokens for the static word vectors, shared by the training script and the runtime so both see
// text the same way: runs of letters/digits, identifiers split at camelCase and snake_case
// boundaries (readFileSync → read file sync), lower-cased.

const RUN = /[\p{L}\p{N}]+/gu;
const CAMEL = /([\p{Ll}\p{N}])(\p{Lu})|(\p{Lu})(\p{Lu}\p{Ll}{2})/gu;
const MAX_TOKEN = 40;

export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    const parts = run.length > 2 && /\p{Lu}/u.test(run) ? run.replace(CAMEL, '$1$3 $2$4').split(' ') : [run];
    for (const p of parts) {
      if (p.length < 2 || p.length > MAX_TOKEN) continue;
      if (/^\d+$/.test(p) && p.length > 4) continue; // long numbers are ids and dates, not words
      out.push(p.toLowerCase());
    }
  }
  return out;
}
