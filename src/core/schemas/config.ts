// The optional .flow/config.json, validated when read.
import { z } from 'zod';

export const EmbedderConfig = z
  .object({
    provider: z.enum(['static', 'openai', 'none']),
    model: z.string().min(1).max(200).optional(),
    dimensions: z.number().int().min(1).max(8192).optional(),
    base_url: z.string().url().optional(),
    /** The name of the environment variable holding the API key: keys do not belong in project files. */
    api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
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
    api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  })
  .strict();

export const ConfigFile = z
  .object({
    embedder: EmbedderConfig.optional(),
    snapshots: SnapshotConfig.optional(),
    commands: z.object({ translator: TranslatorConfig.optional() }).strict().optional(),
  })
  .strict();

export type ConfigFileV = z.infer<typeof ConfigFile>;
