// Where titles stand whole in a text: the one scan both readers of names use — plain language finding
// the tasks, plans, flows and snapshots a sentence names (commands/plain-intent.ts), and a name that
// holds several whole titles (resolve-name.ts: "the refund flow and the stripe webhook").
const WORD = /[\p{L}\p{N}_]/u;
const HANGUL = /[\uac00-\ud7a3]/;
/** What may be glued to a Korean title's end: a particle, or an ending of 하다/되다 ("작성했어", "배포된"). */
const KO_PARTICLE = /^(?:[은는이가을를의에와과랑도만로께들좀요야다하해했할함한되돼됐될된]|으로|에서|한테|까지|부터|보다|처럼|라는|라고|란|예요|입니다)/u;

export interface Said<T> {
  item: T;
  at: number;
  end: number;
}

/**
 * Each place an item's name (as `nameOf` gives it, lower-cased like `text`) stands in `text` as words of
 * its own, longest first where names overlap, then in the order said. With `particles`, a Korean
 * particle or a 하다/되다 ending may follow a name directly ("Mobile app으로", "로그인 화면 구현을"); other
 * Hangul there makes a longer word ("배포자동화" is not "배포").
 */
export function titlesSaidIn<T>(text: string, items: Iterable<T>, nameOf: (item: T) => string, opts: { particles?: boolean } = {}): Said<T>[] {
  const found: Said<T>[] = [];
  // Items of one name stand at the same places, and only the first of them is ever kept (below): the
  // others are not looked for. A project of thousands of tasks titled alike made every place of that
  // title a match per task, and the overlap check below quadratic in them (1.3 s for one request).
  const names = new Set<string>();
  for (const item of items) {
    const name = nameOf(item);
    if (name.length < 2 || names.has(name)) continue;
    names.add(name);
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const end = at + name.length;
      const before = at === 0 || !WORD.test(text[at - 1]!);
      const after = end === text.length || !WORD.test(text[end]!) || (!!opts.particles && HANGUL.test(text[end]!) && KO_PARTICLE.test(text.slice(end)));
      if (before && after) found.push({ item, at, end });
    }
  }
  // Longest first, then keep those that overlap nothing kept: "Refund flow" the task, not "flow".
  // Which characters a kept match covers: a match is checked against its own span, not every kept one.
  const kept: Said<T>[] = [];
  const taken = new Uint8Array(text.length);
  for (const m of found.sort((a, b) => b.end - b.at - (a.end - a.at) || a.at - b.at)) {
    if (taken.subarray(m.at, m.end).some((x) => x === 1)) continue;
    taken.fill(1, m.at, m.end);
    kept.push(m);
  }
  return kept.sort((a, b) => a.at - b.at);
}
