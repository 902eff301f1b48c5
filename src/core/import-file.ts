// `flowmcp import <file>`: reads the file, tells its layout from its content, and hands it to the
// importer for that layout: the earlier Flow system's context.json, flows.json (every layout) and
// workflow.json (flat tasks or plans), or a current_flow.txt. A file that does not parse is reported
// with its line and column and left exactly as it was.
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { detectLayout, listFlow, readLegacy } from '../store/legacy/flows.js';
import { StreamSyntaxError, topLevelArray, topLevelString } from '../store/legacy/stream-json.js';
import { parseJsonAt } from '../store/legacy/parse-json.js';
import { getFlowByLegacyId } from '../store/flows.js';
import { setSetting } from '../store/settings.js';
import { importLegacyContext, type ContextImportReport } from './context-import.js';
import { FlowError } from './errors.js';
import { importLegacyFlows, type FlowImportReport } from './import-flows.js';
import type { Ctx } from './workspace.js';
import { EXPORT_MARK } from './export.js';
import { importExport, type ExportImportReport } from './import-export.js';

export type ImportReport = ContextImportReport | FlowImportReport | ExportImportReport | { layout: 'current-flow'; current_flow: string | null; dry_run: boolean };

/** Files bigger than this are read a flow at a time (list layout), never whole. */
export const STREAM_OVER = 32 * 1024 * 1024;

function importBigList(ctx: Ctx, file: string, size: number, opts: { dry_run?: boolean }): FlowImportReport {
  // A first pass reads every flow and throws them away: a damaged file is refused before anything is written.
  try {
    for (const _ of topLevelArray(file, 'flows')) void _;
  } catch (e) {
    if (!(e instanceof StreamSyntaxError)) throw e;
    if (/no top-level/.test(e.message)) {
      throw new FlowError(
        'invalid_input',
        `${file} is over ${STREAM_OVER / 1024 / 1024} MB and has no top-level "flows" list; files that big are read as list-layout flows.json only.`,
        'Split the file, or import a list-layout flows.json; nothing was imported.',
      );
    }
    throw new FlowError(
      'invalid_input',
      `${file} is not valid JSON (line ${e.line}, column ${e.column}: ${e.message}).`,
      'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
      { line: e.line, column: e.column },
    );
  }
  const flows = { *[Symbol.iterator]() { for (const el of topLevelArray(file, 'flows')) yield listFlow(el); } };
  return importLegacyFlows(ctx, { layout: 'flows-list', flows, current_flow_id: topLevelString(file, 'current_flow_id', size) }, { source: file, dry_run: opts.dry_run });
}

export function importFile(ctx: Ctx, file: string, opts: { flow_id?: string; dry_run?: boolean }): ImportReport {
  const size = statSync(resolve(file), { throwIfNoEntry: false })?.size ?? 0;
  if (size > STREAM_OVER) return importBigList(ctx, resolve(file), size, opts);
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new FlowError('not_found', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Give the path of a flows.json, workflow.json, context.json or current_flow.txt.');
  }
  if (basename(file) === 'current_flow.txt' || !/^\s*[{[]/.test(text)) {
    // current_flow.txt: one legacy flow id, which becomes the default flow if it was imported.
    const legacy = text.trim();
    const flow = legacy ? getFlowByLegacyId(ctx.ws.db, legacy) : undefined;
    if (!flow) throw new FlowError('not_found', `${file} names flow "${legacy.slice(0, 80)}", which has not been imported.`, 'Import the flows.json first, then current_flow.txt.');
    if (!opts.dry_run) ctx.ws.write(() => setSetting(ctx.ws.db, 'last_flow_id', flow.id));
    return { layout: 'current-flow', current_flow: flow.id, dry_run: !!opts.dry_run };
  }
  const parsed = parseJsonAt(text);
  if (!parsed.ok) {
    throw new FlowError(
      'invalid_input',
      `${file} is not valid JSON (line ${parsed.line}, column ${parsed.column}: ${parsed.message}).`,
      'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
      { line: parsed.line, column: parsed.column },
    );
  }
  const layout = detectLayout(parsed.value);
  const v = parsed.value as { meta?: { exported_by?: unknown } };
  if (layout === 'flows-3.0' && v.meta?.exported_by === EXPORT_MARK) return importExport(ctx, parsed.value as Record<string, unknown>, { source: file, dry_run: opts.dry_run });
  if (layout === 'context') return importLegacyContext(ctx, { text, source: file, ...opts });
  if (!layout) {
    throw new FlowError(
      'invalid_input',
      `${file} is not a layout flowmcp knows (flows.json as a list, keyed by id or "3.0"; workflow.json with tasks or plans; context.json).`,
      'Check that it is a file the earlier Flow system wrote; nothing was imported.',
    );
  }
  return importLegacyFlows(ctx, readLegacy(parsed.value, layout, basename(file).replace(/\.json$/, '')), { source: file, dry_run: opts.dry_run });
}
