// The command bus: runs a parsed command through the same tool calls (so the same schemas and core
// functions) the MCP tools use, or, with dry_run, validates it and says what it would do without
// doing it. Ambiguity and help never touch anything; destructive commands need --confirm.
import { projectConfigNotes, readConfig } from '../core/kernel/config.js';
import { userConfigPath } from '../core/kernel/config-paths.js';
import { importProjectFileInTurns } from '../core/transfer/import-file.js';
import { errorBody, FlowError, isFlowError, type ErrorBody } from '../model/errors.js';
import { clip } from '../model/error-text.js';
import { previewRestore } from '../core/snapshots/restore.js';
import { snapshotTakenFor, titleAfterId } from '../core/kernel/names.js';
import type { Call } from '../core/kernel/workspace.js';
import type { Command, Parsed } from './build.js';

export interface ToolPort {
  /** Checks arguments against the tool action's schema; returns what is wrong, or undefined. */
  validate(tool: string, args: Record<string, unknown>): string | undefined;
  call(call: Call, tool: string, args: Record<string, unknown>): Promise<{ structured: Record<string, unknown>; isError: boolean }>;
}

export interface BusResult {
  structured: Record<string, unknown>;
  isError: boolean;
}

function describe(call: Call, c: Command): string {
  const a = c.args;
  const what = `${c.tool}${a.action ? ` ${String(a.action)}` : ''}`;
  const detail = Object.entries(a)
    .filter(([k]) => k !== 'action' && k !== 'confirm')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}${titleAfterId(call, v)}`)
    .join(', ');
  return `call ${what}${detail ? ` (${detail})` : ''}${c.destructive ? (a.confirm ? '; a snapshot is taken first' : '; refused without --confirm') : ''}`;
}

/** A refused command: the FlowError rendered as every result renders one, beside what the command was read as. */
function refused(e: FlowError, read: Record<string, unknown> = {}): BusResult {
  return { structured: { ...read, error: errorBody(e) }, isError: true };
}

/** How much of a command an error quotes back (a command may be 5,000 characters). */
const COMMAND_SHOWN = 200;

const UNDO_REASON = { restore: 'before restore', delete: 'before deleting', import: 'before importing' } as const;

export async function runParsed(call: Call, parsed: Parsed, tools: ToolPort, opts: { dry_run?: boolean } = {}): Promise<BusResult> {
  const ok = (structured: Record<string, unknown>): BusResult => ({ structured, isError: false });
  switch (parsed.kind) {
    case 'error':
      return refused(new FlowError(parsed.code ?? 'invalid_input', parsed.message, parsed.hint));
    case 'help':
      return ok({ help: parsed.text });
    case 'choose':
      // Several things fit: nothing runs; each candidate comes with the command that picks it.
      return ok({ ambiguous: true, message: parsed.message, candidates: parsed.candidates, changed: false });
    case 'status': {
      const flow = await tools.call(call, 'flow', { action: 'get' });
      if (flow.isError) return flow;
      const next = await tools.call(call, 'task', { action: 'next' });
      return ok({ command: '/flow status', flow: flow.structured.flow, current: call.session.currentView(), next: next.structured.task ?? null, reason: next.structured.reason });
    }
    case 'undo': {
      const reason = UNDO_REASON[parsed.what];
      const snap = snapshotTakenFor(call, reason);
      if (!snap) {
        return refused(
          new FlowError(
            'not_found',
            `Nothing to undo: no snapshot was taken ${reason.replace('before ', 'before a ')}.`,
            'snapshot list shows every snapshot; /flow snapshot restore <id> --confirm restores one.',
          ),
        );
      }
      const text = `/flow snapshot restore ${snap.id} --confirm`;
      if (parsed.dry_run || opts.dry_run || !parsed.confirm) {
        return ok({
          command: text,
          dry_run: parsed.dry_run || opts.dry_run || undefined,
          needs_confirmation: !parsed.confirm || undefined,
          would: `restore ${snap.flow_id ?? 'the workspace'} to snapshot ${snap.id} ("${snap.reason}", ${snap.created_at})`,
          // Undo throws away whatever was done since: say how much, by kind, before anyone confirms.
          changes: previewRestore(call, snap.id).changes,
          changed: false,
        });
      }
      const r = await tools.call(call, 'snapshot', { action: 'restore', id: snap.id, confirm: true });
      return { structured: { command: text, result: r.structured }, isError: r.isError };
    }
    case 'run': {
      const c = parsed.command;
      if (c.tool === 'config') {
        const notes = projectConfigNotes(call.ws);
        return ok({ command: c.text, config: readConfig(call.ws), user_config: userConfigPath(), ...(notes.length ? { notes } : {}), changed: false });
      }
      if (c.tool === 'import') {
        // Imports read a file from the project: a path relative to the project root, never outside it,
        // never a hidden file (.env, .flow/…), by the same rules as documents.
        const dry = parsed.dry_run || !!opts.dry_run;
        try {
          const report = await importProjectFileInTurns(call, String(c.args.file), { flow_id: c.args.flow_id as string | undefined, dry_run: dry });
          return ok({ command: c.text, ...(dry ? { dry_run: true, changed: false } : {}), result: report });
        } catch (e) {
          // Anything but a FlowError is a bug, answered as one by the tool's last resort (which quotes
          // no message, so no text from the file either).
          if (!isFlowError(e)) throw e;
          return refused(new FlowError(e.code, e.message, e.hint ?? 'Form: /flow import <file> [--dry-run]', e.details), { command: clip(c.text, COMMAND_SHOWN) });
        }
      }
      const problem = tools.validate(c.tool, c.args);
      if (problem) return refused(new FlowError('invalid_input', problem, `Check the form with /flow help ${c.tool === 'document' ? 'doc' : c.tool}.`), { command: clip(c.text, COMMAND_SHOWN) });
      if (parsed.dry_run || opts.dry_run) {
        const preview = c.tool === 'snapshot' && c.args.action === 'restore' ? { changes: previewRestore(call, String(c.args.id)).changes } : {};
        return ok({ command: c.text, dry_run: true, would: `${describe(call, c)}${c.notes ? ` (${c.notes.join(' ')})` : ''}`, ...preview, tool: c.tool, arguments: c.args, changed: false });
      }
      const r = await tools.call(call, c.tool, c.args);
      // How the command was read (a task found in another flow) is said with the tool's result, beside
      // the notes the tool itself gave: every face shows a result's notes.
      const notes = c.notes ? [...[r.structured.notes ?? []].flat(), ...c.notes] : undefined;
      const structured: Record<string, unknown> = { command: r.isError ? clip(c.text, COMMAND_SHOWN) : c.text, from: parsed.from, result: notes ? { ...r.structured, notes } : r.structured };
      const err = r.structured.error as ErrorBody | undefined;
      if (r.isError && err?.code === 'confirm_required') {
        // The tool's refusal, with the /flow line that confirms it as the hint.
        structured.error = errorBody(new FlowError(err.code, err.message, `Run it again with --confirm: ${c.text.endsWith('--confirm') ? c.text : `${c.text} --confirm`}`, err.details));
      } else if (r.isError) structured.error = err;
      return { structured, isError: r.isError };
    }
  }
}
