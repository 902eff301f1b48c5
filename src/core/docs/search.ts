// Search over documents, tasks and plans: resolves the filters, runs the full-text half and (with an
// embedder) the vector half over the filtered candidates, and fuses them by source (search/fuse.ts).
// Results always say which mode answered and how complete the vectors are.
import type { Embedder } from '../../search/embedder.js';
import { textHalf, vectorSearch, type SearchFilter, type VectorScan } from '../../search/candidates.js';
import { preloadVectorIndex } from '../../search/vector-index.js';
import { textIndexBuilt } from '../../search/text-index.js';
import { isLongRunning } from '../kernel/long-running.js';
import { chunkOwners, describeChunks, type ScoredChunk } from '../../store/search-index.js';
import { ftsTerms } from '../../search/fts-text.js';
import { compileGlob } from '../../search/glob.js';
import { fuseBySource, moreSections, type FusionMethod } from '../../search/fuse.js';
import { snippet, snippetTerms } from '../../search/snippet.js';
import { coverage, fillInBackground } from './embeddings.js';
import { findFlow, findPlan } from '../kernel/names.js';
import type { SearchInput } from '../schemas/document.js';
import type { SearchHitV, SearchResultV, SearchToolResultV } from '../schemas/document-results.js';
import { activeEmbedder } from './active-embedder.js';
import { syncIfStale } from './sync-throttle.js';
import { koreanLexicon, loadKoreanLexicon } from '../../search/lexicon.js';
import { hasHangul } from '../../search/korean.js';
import { projectConfigNotes } from '../kernel/config.js';
import { searchBacklogNote } from './search-backlog.js';
import type { Call } from '../kernel/workspace.js';
import type { Db } from '../../store/db.js';
import { entryHeading } from '../memory/context.js';
import type { EntryKind, EntryState } from '../../store/context.js';
import { immediateTurn } from '../../background-turns.js';

const WAIT_FOR_AT_MOST = 3000; // chunks a search will wait for a local embedder to catch up on
/** A Korean question's English words worth looking for in the text half: the likely translations. */
const TRANSLATION_MIN_P = 0.1;

function koreanTerms(query: string): string[] {
  return hasHangul(query) ? koreanLexicon().translate(query, TRANSLATION_MIN_P).map((t) => t.word) : [];
}

export interface SearchOptions {
  /** Which halves to run; only evaluations turn one off, to measure each alone. */
  halves?: 'both' | 'text' | 'vector';
  /** How the halves are fused, and the text half's share; only evaluations choose other than the default. */
  fusion?: FusionMethod;
  textWeight?: number;
}

/** The text half's share of a fused score (the vector half has the rest): measured on the evaluation sets' dev questions. */
export const TEXT_WEIGHT = 0.6;
/**
 * Hits only the vector half found, scoring under this share of the best hit, are left out. Measured on
 * the dev questions with the retrieval-tuned vectors (2026-11-30): at 0.25 no right file is lost (the
 * only right file found by the vectors alone scored 0.42) and 106 of the 155 unrelated vector-only
 * hits that 0.15 kept are gone (a small project's answer was padded with loosely related tasks).
 */
const MIN_SHARE_OF_BEST = 0.25;
/** Hits shown when none holds a word of the question. */
export const NEAREST_ONLY_SHOWN = 3;

/**
 * Never fails, and settles once every read has (a failed one does not leave the other to be read again at
 * once): whatever did not load is loaded, or its failure said, by the call that needs it.
 */
function prepareVectorHalf(db: Db, embedder: Embedder): Promise<unknown> {
  return Promise.allSettled([embedder.prepare?.(), preloadVectorIndex(db, embedder.id, embedder.dim)]);
}

function resolveFilter(call: Call, input: SearchInput): SearchFilter {
  return {
    kind: input.kind,
    // Checked and normalised here, so a bad glob is a clear error before any query runs.
    path: input.path ? compileGlob(input.path, 'path filter') : undefined,
    planId: input.plan_id ? findPlan(call, input.plan_id).id : undefined,
    flowId: !input.plan_id && input.flow_id ? findFlow(call, input.flow_id).id : undefined,
  };
}

export async function search(call: Call, input: SearchInput, embedder: Embedder | undefined, opts: SearchOptions = {}): Promise<SearchResultV> {
  const db = call.ws.db;
  const k = input.k ?? 10;
  // Stryker disable next-line StringLiteral: every test of halves is against 'text' or 'vector', so any other default runs both
  const halves = opts.halves ?? 'both';
  const filter = resolveFilter(call, input);
  // What the vector half needs loaded (the word vectors, the screen's file) is read by the thread pool
  // while the text half runs: one after the other on the event loop they were most of a first search.
  const loaded = embedder && halves !== 'text' ? prepareVectorHalf(db, embedder) : undefined;
  // So is the Korean lexicon a Korean question needs (read at once, it was ~30 ms more of a first one).
  if (hasHangul(input.query)) await loadKoreanLexicon();
  const translated = koreanTerms(input.query);
  const words = halves !== 'vector' ? ftsTerms(input.query, translated) : [];
  const match = words.length > 0;
  // A server still building its text index of a big set: the search waits for it (only this caller waits;
  // FTS5 would hold every caller for its whole scoring, ~1–2 s at 1.1M sections).
  if (words.length) await textIndexBuilt(db, (done, total) => call.progress?.(done, total, 'building the search index'), isLongRunning(call.ws));
  const text = textHalf(db, words, filter);

  let vector: ScoredChunk[] = [];
  let vectorNote = '';
  let scan: VectorScan | undefined;
  // Counting chunks scans the table: count once, and again only if vectors were still pending.
  const before = embedder ? coverage(call, embedder) : undefined;
  if (embedder && before && halves !== 'text') {
    await loaded;
    try {
      // A local embedder catching up on a few thousand chunks finishes in well under a second: wait for
      // it. A remote one, or a big backlog, fills in the background while this search answers.
      const waits = embedder.local && before.chunks - before.embedded <= WAIT_FOR_AT_MOST;
      const filling = fillInBackground(call, embedder, waits ? immediateTurn : undefined);
      if (waits) await filling;
      else filling.catch(() => undefined); // reported through coverage; retried on the next search
      // With no vector made yet (a big import's are being made in the background) there is nothing to
      // compare with, and the exact scan would still walk every chunk (~0.2 s at 1.1M). A remote embedder
      // still embeds the query: that is where a wrong key or model is said.
      const none = embedder.local && !waits && before.embedded === 0;
      const [q] = none ? [] : await embedder.embed([input.query], { quick: true });
      if (q) ({ hits: vector, scan } = vectorSearch(db, q, embedder.id, filter));
      else if (!none) vectorNote = 'the query has no words the vectors know';
    } catch (e) {
      vectorNote = `vector half failed: ${(e as Error).message}`;
    }
  }
  const cov = embedder && before && before.embedded < before.chunks ? coverage(call, embedder) : before;

  const textWeight = opts.textWeight ?? TEXT_WEIGHT;
  const owners = chunkOwners(db, [...new Set([...text, ...vector].map((h) => h.id))]);
  const ranked = fuseBySource(
    [
      { name: 'text', hits: text, weight: textWeight },
      { name: 'vector', hits: vector, weight: 1 - textWeight },
    ],
    owners,
    k,
    opts.fusion,
  );
  // Hits only the vectors found, far behind the best, are noise a person and an assistant must read
  // past (in a small project every chunk is "near" something); a hit holding a query word is kept
  // however weak. Measured on the evaluation sets' dev questions: no right answer left a top 10.
  // The vector half alone (an evaluation's mode) is scored on its own ranking: these rules are for answers
  // both halves make, and they would cut it to its nearest 3.
  const alone = halves === 'vector';
  const kept = alone ? ranked : ranked.filter((f) => f.matched.includes('text') || f.score >= MIN_SHARE_OF_BEST * (ranked[0]?.score ?? 0));
  // When no hit holds a word of the question, every hit is only near it by meaning, and in a small
  // project everything is near something: "rollback" in a project that never says it came back with ten
  // unrelated tasks. The nearest few are shown (the notes say what they are); an assistant pays for each.
  // On the evaluation sets' dev questions the text half always found something, so no answer changes there.
  const sources = alone || kept.some((f) => f.matched.includes('text')) ? kept : kept.slice(0, NEAREST_ONLY_SHOWN);
  // Room left under k: the found sources' other sections holding a question word. Which hits are shown
  // keeps every source found (its best section) before more sections of any; the order they are shown in
  // is their score, so a reader going top-down meets a document's strong second section before another
  // document's weak best (a newcomer read "Currency 0.06" above "Stacking 0.99"). A section scores at most
  // its document's best, so the documents come in the same order either way.
  const fused = alone ? sources : [...sources, ...moreSections(text, owners, sources, k - sources.length)].sort((a, b) => b.score - a.score);
  const info = describeChunks(db, fused.map((f) => f.chunk));
  // The fused score depends on the fusion and the query: results say it relative to this query's best
  // hit (1), in two decimals. It orders hits; it is not an absolute relevance.
  const top = fused[0]?.score ?? 0;
  const shown = snippetTerms(input.query, translated);
  const results: SearchHitV[] = fused.map((f) => {
    const c = info.get(f.chunk)!;
    const hit: SearchHitV = {
      score: top > 0 ? Math.round((100 * f.score) / top) / 100 : 0,
      kind: c.kind,
      id: c.owner_id,
      // A context entry's kind and state as they are now (its chunk may have been written while it was open).
      title: c.doc_title ?? c.task_title ?? c.plan_title ?? (c.context_kind ? `${entryHeading(c.context_kind as EntryKind, c.context_state as EntryState)} (${c.context_flow})` : c.heading),
      snippet: snippet(c.body, shown),
      matched: f.matched,
    };
    if (c.doc_path) {
      hit.path = c.doc_path;
      // The heading path of the matched section (`Guide › Install › Linux`), not the document's title:
      // left out where it would only repeat the title (a match above the first subheading).
      if (c.heading && c.heading !== hit.title) hit.heading = c.heading;
      if (c.start_line !== null && c.end_line !== null) hit.lines = [c.start_line, c.end_line];
    }
    if (c.task_status) hit.status = c.task_status;
    if (c.context_state) hit.status = c.context_state;
    return hit;
  });
  // A query of only punctuation or stop words: neither half had anything to look for; say so rather
  // than name a half that never ran.
  const nothing = !match && halves !== 'vector' && !vector.length && (!embedder || !!vectorNote) && !vectorNote.startsWith('vector half failed');
  const mode = nothing
    ? 'none (the query has no searchable words: only punctuation, symbols or very common words)'
    : embedder && !vectorNote
      ? `hybrid fts5+${embedder.label}`
      : `fts5 only${vectorNote ? ` (${vectorNote})` : ' (no embedder configured)'}`;
  const out: SearchResultV = { results, mode };
  if (embedder && cov) {
    out.vectors = { embedder: embedder.id, chunks: cov.chunks, embedded: cov.embedded, complete: cov.embedded >= cov.chunks };
    // Which way the vector half answered (sqlite-vec's exact scan, the JS one, or the sign-bit screen).
    if (scan) out.vectors.scan = scan;
  }
  return out;
}

/**
 * Vectors still missing for part of the index (a big import, a remote embedder catching up): the
 * vector half only knows the rest. Said with how to finish, since a one-shot command exits before a
 * background fill could.
 */
function vectorsNote(result: SearchResultV): string[] {
  const v = result.vectors;
  if (!v || v.complete) return [];
  return [
    `meaning-based matches cover ${v.embedded} of ${v.chunks} indexed sections so far (the rest are found by their words only); a running server fills in the rest in the background, document reindex finishes it now`,
  ];
}

/**
 * The search tool's call: files changed on disk are caught up first (throttled), the configured
 * embedder answers the vector half, and settings the project's config tried to choose and was not
 * allowed to are said where the user looks.
 */
export async function searchProject(call: Call, input: SearchInput): Promise<SearchToolResultV> {
  // A check of the files this search starts beside it begins once it has answered, however it ended.
  let answered = () => {};
  const done = new Promise<void>((resolve) => (answered = resolve));
  try {
    // Bounded: a search indexes at most a few new or changed files, and says when more are waiting.
    const sync = await syncIfStale(call, done);
    const backlog = searchBacklogNote(call);
    const result = await search(call, input, activeEmbedder(call.ws));
    // Settings the project's config tried to choose and was not allowed to are said where the user looks.
    const notes = [
      ...(sync.note ? [sync.note] : []),
      ...(backlog ? [backlog] : []),
      ...meaningOnlyNote(result),
      ...vectorsNote(result),
      ...projectConfigNotes(call.ws),
    ];
    return notes.length ? { ...result, notes } : result;
  } finally {
    answered();
  }
}

/**
 * Scores are relative to the best hit, so a question the project knows nothing about still gets a
 * "1.00" first hit. When no hit holds a word of the question, they are only the nearest by meaning:
 * said, so nobody takes them for an answer.
 */
// The full-text half matches a word's forms as the Porter stemmer joins them, which misses some: a hit
// may hold another form of a word, so it is not said absent.
export const NEAREST_BY_MEANING =
  'no result holds a word of the question as written (some other forms of a word are not matched by words): these were found by meaning only; check that they are about it';

function meaningOnlyNote(result: SearchResultV): string[] {
  if (result.results.length === 0 || result.results.some((r) => r.matched.includes('text'))) return [];
  return [NEAREST_BY_MEANING];
}
