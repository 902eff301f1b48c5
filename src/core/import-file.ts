// `flowmcp import <file>`: reads the file, tells its layout from its content, and hands it to the
// importer for that layout. Today that is the earlier Flow system's context.json; its flows.json and
// workflow.json layouts are not imported yet (issue 7) and are refused with that said plainly.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importLegacyContext, type ContextImportReport } from './context-import.js';
import { FlowError } from './errors.js';
import type { Ctx } from './workspace.js';

export function importFile(ctx: Ctx, file: string, opts: { flow_id?: string; dry_run?: boolean }): ContextImportReport {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new FlowError('not_found', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Give the path of a context.json to import.');
  }
  if (/"(memory|conversation)"\s*:/.test(text) || !/"(flows|tasks|plans)"\s*:/.test(text)) {
    return importLegacyContext(ctx, { text, source: file, ...opts });
  }
  throw new FlowError(
    'invalid_input',
    `${file} looks like a flows.json or workflow.json; importing those layouts is not built yet (issue 7).`,
    'Only the earlier context.json imports today: flowmcp import .ai-brain/context.json --flow <id>.',
  );
}
