// How the tool nouns are spelled on the command line: other names for a noun, and the flags that take
// no value. A leaf of its own, because the runner (tool.ts), its help and the wording of its errors
// all read it, and those import one another.

export const ALIASES: Record<string, readonly string[]> = { document: ['doc', 'docs'] };

/** Flags without a value for every tool noun (others take `--pinned true` or a value). */
export const SWITCHES = new Set(['json', 'help', 'confirm']);

/**
 * Arguments of which one must be given, by a rule of the action's schema rather than of either field
 * (one task by its title, or many with --tasks): usage shows `(<title> | --tasks JSON)`, and leaving
 * both out is refused with "give a title or --tasks". Keyed by "noun action".
 */
export const EITHER: Record<string, readonly [string, string]> = { 'task create': ['title', 'tasks'] };
