// Size limits that more than one layer enforces: the tools' input schemas (core/schemas) and the
// readers of files under .flow/ (memory-format), which must accept exactly what the tools can write
// and nothing a project could not plausibly have written. One source of truth, here.

/** Ids and one-line names, as every tool input takes them. */
export const ID_MAX = 100;
export const NAME_MAX = 200;

/** A flow's context (context save, context.json, imports of the earlier context.json). */
export const CONTEXT_LIMITS = {
  /** One decision (what, and why), question, next step, insight or preference, in characters. */
  item: 4000,
  /** A flow's summary, in characters. */
  summary: 20_000,
  /** One file path the context mentions, in characters. */
  filePath: 500,
  /** Files a flow's context keeps (the newest first), and files one save may name. */
  filesKept: 100,
  filesPerSave: 50,
  /**
   * Open entries of one kind that context.json holds (the newest) and that a context.json read back
   * may hold: more than a project plausibly writes by hand, and the file says how many older ones
   * are only in the database (context history).
   */
  fileEntriesPerKind: 2000,
  /** The `note` flowmcp writes at the top of context.json. */
  fileNote: 1000,
  /** ISO times in context.json. */
  time: 40,
} as const;

/**
 * The largest context.json flowmcp writes: entries are left out, oldest first, past this many bytes.
 * A hand edit may add to it, up to MAX_CONTEXT_FILE_BYTES; a bigger file is kept aside unread.
 */
export const CONTEXT_FILE_WRITE_BYTES = 3 * 1024 * 1024;
export const MAX_CONTEXT_FILE_BYTES = 4 * 1024 * 1024;
