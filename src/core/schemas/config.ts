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

export const ConfigFile = z
  .object({
    embedder: EmbedderConfig.optional(),
  })
  .strict();

export type ConfigFileV = z.infer<typeof ConfigFile>;
