// What the command tool returns, one form per way a command can end. The tool call a command ran
// comes whole under `result` (checked against that tool's own schema when it ran). The forms are
// strict, so a result is read as exactly one of them.
import { z } from 'zod';
import { CurrentView, FlowView, TaskView } from './results.js';
import { RestoreChanges } from './snapshot.js';

const Result = z.record(z.string(), z.unknown());
const Candidate = z.object({ id: z.string(), title: z.string(), command: z.string() });

/** /flow help. */
const Help = z.strictObject({ help: z.string() });
/** Several things fit the names given: nothing ran; each candidate comes with the command that picks it. */
const Choose = z.strictObject({ ambiguous: z.boolean(), message: z.string(), candidates: z.array(Candidate), changed: z.boolean() });
/** /flow status: the current flow and what is next. */
const Status = z.strictObject({ command: z.string(), flow: FlowView, current: CurrentView, next: TaskView.nullable(), reason: z.string().optional() });
/** A command that ran: the tool call's own result. */
const Ran = z.strictObject({ command: z.string(), from: z.enum(['grammar', 'legacy', 'plain language']).optional(), result: Result });
/** What a command would do (dry run, or an undo awaiting --confirm): nothing changed. */
const Preview = z.strictObject({
  command: z.string(),
  dry_run: z.boolean().optional(),
  needs_confirmation: z.boolean().optional(),
  would: z.string(),
  changes: RestoreChanges.optional(),
  tool: z.string().optional(),
  arguments: Result.optional(),
  changed: z.boolean(),
});
/** /flow config: the settings in force and where the user's own config lives. */
const Config = z.strictObject({
  command: z.string(),
  config: Result,
  user_config: z.string(),
  notes: z.array(z.string()).optional(),
  changed: z.boolean(),
});
/** /flow import: the import's report (with --dry-run, what it would import). */
const Import = z.strictObject({ command: z.string(), dry_run: z.boolean().optional(), changed: z.boolean().optional(), result: Result });

/**
 * Plain language a model read as a command: that reading previewed (one of the forms above, with these
 * fields added), never run; the caller sends the command back to run it.
 */
const Translated = z.object({ translated_from: z.string(), needs_confirmation: z.boolean(), changed: z.boolean() }).catchall(z.unknown());

export const CommandResult = z.union([Help, Choose, Status, Ran, Preview, Config, Import, Translated]);

export type CommandResultV = z.infer<typeof CommandResult>;
