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
  for (const item of items) {
    const name = nameOf(item);
    if (name.length < 2) continue;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const end = at + name.length;
      const before = at === 0 || !WORD.test(text[at - 1]!);
      const after = end === text.length || !WORD.test(text[end]!) || (!!opts.particles && HANGUL.test(text[end]!) && KO_PARTICLE.test(text.slice(end)));
      if (before && after) found.push({ item, at, end });
    }
  }
  // Longest first, then keep those that overlap nothing kept: "Refund flow" the task, not "flow".
  const kept: Said<T>[] = [];
  for (const m of found.sort((a, b) => b.end - b.at - (a.end - a.at) || a.at - b.at)) {
    if (!kept.some((k) => m.at < k.end && k.at < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.at - b.at);
}
