// Input of the command tool.
import { z } from 'zod';

export const CommandInput = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5,000 characters'),
    dry_run: z.boolean().optional(),
  })
  .strict();
export type CommandInputV = z.infer<typeof CommandInput>;
