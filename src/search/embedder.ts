// What an embedder is to the rest of flowmcp: an id (stored with every vector, so a change of
// embedder is noticed), a dimension, and a batch embed that may be slow (HTTP) and is therefore
// always called outside any database transaction.

export interface Embedder {
  /** Stable id, e.g. "static-vectors:flowmcp-100d-v1" or "openai:text-embedding-3-small@1536". */
  readonly id: string;
  /** Short name for result modes, e.g. "static-vectors" or "openai:text-embedding-3-small". */
  readonly label: string;
  readonly dim: number;
  /** Runs in this process without I/O (fast enough to finish before answering a search). */
  readonly local: boolean;
  /**
   * Ids of earlier versions of this embedder that no install can use again (the shipped vectors they
   * came from are gone): their vectors are removed once this one has covered everything.
   */
  readonly supersedes?: readonly string[];
  /**
   * One vector per text, or undefined where the embedder has nothing to say about a text. `quick`: a
   * search's question, which someone is waiting on: a remote embedder tries once more at most, rather
   * than retrying for seconds before the search falls back to full text.
   */
  embed(texts: string[], opts?: { quick?: boolean }): Promise<(Float32Array | undefined)[]>;
  /**
   * Loads what embed needs with its reads off the event loop (a local embedder's tables), so a first
   * search can start it before its other work; embed loads it itself when this was never called.
   * `whole`: also what only later calls need (a server's warm-up: lookup maps, the Korean lexicon).
   */
  prepare?(opts?: { whole?: boolean }): Promise<void>;
}
