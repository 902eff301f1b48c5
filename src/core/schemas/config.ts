// Two config files with one layout: the user's own (outside any project, trusted) and the project's
// .flow/config.json (untrusted: a cloned repository may have written it). Both are validated when
// read. Keys that choose where the user's secrets or text go (an endpoint, the variable holding a
// key, a remote provider) are obeyed only from the user's file or the environment; the project
// schema still accepts them so such a file does not break the tool, and they are reported as ignored.
import { z } from 'zod';
import { HookEntries } from './hooks.js';

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable');

export const EmbedderConfig = z
  .object({
    provider: z.enum(['static', 'openai', 'none']),
    model: z.string().min(1).max(200).optional(),
    dimensions: z.number().int().min(1).max(8192).optional(),
    base_url: z.string().url().optional(),
    /** The name of the environment variable holding the API key: keys do not belong in config files. */
    api_key_env: EnvName.optional(),
  })
  .strict();

export const SnapshotConfig = z
  .object({
    /** Prune keeps at least this many of the newest snapshots... */
    keep_last: z.number().int().min(1).max(100_000).optional(),
    /** ...and every snapshot younger than this many days (pinned ones always). */
    keep_days: z.number().min(0).max(36_500).optional(),
    /** A full checkpoint after this many incremental (patch) snapshots in a row. */
    checkpoint_every: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** A chat model (OpenAI-compatible) that turns text the command parser cannot read into /flow grammar. */
export const TranslatorConfig = z
  .object({
    provider: z.literal('openai'),
    model: z.string().min(1).max(200),
    base_url: z.string().url().optional(),
    api_key_env: EnvName.optional(),
  })
  .strict();

/** The user's own config ($FLOWMCP_CONFIG, else $XDG_CONFIG_HOME/flowmcp/config.json, else ~/.config/flowmcp/config.json). */
export const UserConfigFile = z
  .object({
    embedder: EmbedderConfig.optional(),
    commands: z.object({ translator: TranslatorConfig.optional() }).strict().optional(),
    /** Event hooks (core/hooks/): trusted, they run without asking. */
    hooks: HookEntries.optional(),
  })
  .strict();

/**
 * .flow/config.json. Only the harmless keys are checked in detail (they are obeyed); the keys that are
 * never obeyed from a project are accepted whatever their value, so a repository cannot break the
 * tool with them either, and reported as ignored.
 */
export const ProjectConfigFile = z
  .object({
    embedder: z
      .object({
        provider: z.enum(['static', 'openai', 'none']),
        model: z.unknown().optional(),
        dimensions: z.unknown().optional(),
        base_url: z.unknown().optional(),
        api_key_env: z.unknown().optional(),
      })
      .strict()
      .optional(),
    snapshots: SnapshotConfig.optional(),
    commands: z.object({ translator: z.unknown().optional() }).strict().optional(),
    /** Event hooks: each runs only once the user trusts its exact definition (core/hooks/hook-trust.ts). */
    hooks: HookEntries.optional(),
  })
  .strict();

/** Kept for the readers of the project file (snapshot retention, /flow config). */
export const ConfigFile = ProjectConfigFile;

export type UserConfigV = z.infer<typeof UserConfigFile>;
export type ProjectConfigV = z.infer<typeof ProjectConfigFile>;
export type ConfigFileV = ProjectConfigV;
export type EmbedderConfigV = z.infer<typeof EmbedderConfig>;
export type TranslatorConfigV = z.infer<typeof TranslatorConfig>;
