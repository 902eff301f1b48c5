// Event hooks as a config file declares them (the user's own config and .flow/config.json share this
// shape): a name, when it runs (pre: before the write, may refuse it; post: after commit, delivered
// from the event log), the events it matches with simple filters, and what runs — a program (argv,
// no shell) or an HTTP POST. Parsed once, where the config is read.
import { z } from 'zod';

/** The longest timeout a hook may have (and so the longest a delivery lease can rightly last, plus its margin). */
export const MAX_HOOK_TIMEOUT_MS = 120_000;

/** The events a hook can match. Post events come from the event log; pre events from the call about to run. */
export const HOOK_EVENTS = [
  'flow.created',
  'flow.updated',
  'flow.deleted',
  'plan.created',
  'plan.updated',
  'plan.completed',
  'plan.deleted',
  'task.created',
  'task.updated',
  'task.status_changed',
  'task.moved',
  'task.deleted',
  'task.claimed',
  'task.released',
  'task.dependency_added',
  'task.dependency_removed',
  'document.written',
  'document.deleted',
  'context.saved',
  'snapshot.created',
  'snapshot.restored',
  'snapshot.pruned',
  'imported',
  'command',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable');
const OneOrMany = z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(50)]);

export const HookDef = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "." or "-"'),
    /** pre: runs before the write and may refuse it; post: runs after commit, delivered at least once, in order. */
    when: z.enum(['pre', 'post']),
    /** The events it matches; "*" is every event. */
    events: z.array(z.enum([...HOOK_EVENTS, '*'])).min(1).max(HOOK_EVENTS.length + 1),
    /** Only events whose field equals the value (or one of the values); project is the project's path. */
    filter: z.object({ project: OneOrMany, flow_id: OneOrMany, entity_id: OneOrMany, status: OneOrMany, agent: OneOrMany }).partial().strict().optional(),
    /** A program and its arguments, run without a shell in the project root, the event as JSON on stdin. */
    run: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
    /** An http(s) URL the event is POSTed to as JSON. */
    url: z
      .string()
      .url()
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
      .optional(),
    /** The environment variable holding the HMAC secret that signs an HTTP hook's body. */
    secret_env: EnvName.optional(),
    /** Environment variables passed to a program hook beyond the documented few. */
    env: z.array(EnvName).max(50).optional(),
    timeout_ms: z.number().int().min(100).max(MAX_HOOK_TIMEOUT_MS).optional(),
    /** A pre hook that fails (times out, crashes, cannot start) refuses the change instead of letting it through. */
    required: z.boolean().optional(),
  })
  .strict()
  .refine((h) => (h.run === undefined) !== (h.url === undefined), 'a hook takes exactly one of run (a program) or url (an HTTP POST)')
  .refine((h) => h.secret_env === undefined || h.url !== undefined, 'secret_env belongs to an HTTP hook (url)');
export type HookDefV = z.infer<typeof HookDef>;

/** The fields a hook entry may have: a typo among them is answered with the nearest. */
export const HOOK_FIELDS = ['name', 'when', 'events', 'filter', 'run', 'url', 'secret_env', 'env', 'timeout_ms', 'required'] as const;
/**
 * Hooks as a config file lists them (the user's and the project's): a list of anything, each entry
 * checked on its own when hooks load (core/hooks/hook-config.ts), so one broken entry is reported by
 * its place and name and skipped rather than stopping every other hook.
 */
export const HookEntries = z.array(z.unknown()).max(100);
