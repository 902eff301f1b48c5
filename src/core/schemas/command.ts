// Input of the command tool.
import { z } from 'zod';

/** Longest command text (tool, prompt and CLI alike). */
export const MAX_COMMAND_CHARS = 5000;

export const CommandInput = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_COMMAND_CHARS, 'must be at most 5,000 characters')
      // Only invisible characters (zero-width spaces, direction marks) is empty too: it used to answer the help text as if asked for it.
      .refine((s) => /[^\s\p{Cf}]/u.test(s), 'must not be empty (it holds only invisible characters)'),
    dry_run: z.boolean().optional(),
  })
  .strict();
export type CommandInputV = z.infer<typeof CommandInput>;
