// `flowmcp import <file>`: reads the file, tells its layout from its content, and hands it to the
// importer for that layout: the earlier Flow system's context.json, flows.json (every layout) and
// workflow.json (flat tasks or plans), or a current_flow.txt. A file that does not parse is reported
// with its line and column and left exactly as it was; no error ever quotes the file's text.
//
// Two doors: importFile is the user's own shell (`flowmcp import <file>`): any file the user can read,
// relative to their working directory. importProjectFile is every door an assistant or a project can
// reach (the MCP `command` tool, `/flow import`, `flowmcp run`): a path inside the project, by the same
// rules as documents — relative, no hidden segment (so never .env or .flow/), no symlink leading
// outside the project or into a hidden file.
import { isUtf8 } from 'node:buffer';
import { realpathSync, statSync } from 'node:fs';
import { readFileBounded, regularFileSize } from '../../store/bounded-file.js';
import { basename, join, relative, resolve, sep, posix } from 'node:path';
import { normalizeRelPath, safeJoin } from '../docs/doc-paths.js';
import { detectLayout, listFlow, readLegacy } from '../../store/legacy/flows.js';
import { StreamSyntaxError, topLevelArray, topLevelString } from '../../store/legacy/stream-json.js';
import { parseJsonAt } from '../../store/legacy/parse-json.js';
import { getFlowByLegacyId } from '../../store/flows.js';
import { setDefaultFlow } from '../kernel/session.js';
import { importLegacyContext, type ContextImportReport } from './legacy-context.js';
import { FlowError, isFlowError } from '../../model/errors.js';
import { checkLegacyFlows, importLegacyFlowsSteps, type FlowImportReport } from './legacy-flows.js';
import { runSteps, runStepsInTurns, type Steps } from '../kernel/steps.js';
import type { Call } from '../kernel/workspace.js';
import { EXPORT_MARK } from './export.js';
import { catchUpAfterImport } from '../docs/search-backlog.js';
import { importExport, type ExportImportReport } from './import-flowmcp.js';

export type ImportReport = ContextImportReport | FlowImportReport | ExportImportReport | { layout: 'current-flow'; current_flow: string | null; dry_run: boolean };

/** Files bigger than this are read a flow at a time (list layout), never whole. */
export const STREAM_OVER = 32 * 1024 * 1024;

/** The flows of a big list-layout file, read afresh on each pass; what is not a flow object is skipped, as in a small file. */
const bigListFlows = (path: string) => ({
  *[Symbol.iterator]() {
    for (const el of topLevelArray(path, 'flows')) {
      const f = listFlow(el);
      if (f) yield f;
    }
  },
});

/** How an import runs: `batchTasks` bounds the tasks written between two pauses (legacy-flows.ts). */
export interface ImportOptions {
  flow_id?: string;
  dry_run?: boolean;
  batchTasks?: number;
  /** A list-layout file bigger than this is read a flow at a time (STREAM_OVER unless given). */
  streamOver?: number;
}

/**
 * A list-layout file read a flow at a time. With `orWhole`, a file that turns out to have no top-level
 * "flows" list answers undefined (the caller reads it whole) instead of being refused.
 */
function* importBigList(call: Call, path: string, size: number, opts: ImportOptions, file: string, orWhole = false): Steps<FlowImportReport | undefined> {
  // A first pass reads every flow and throws them away: a damaged file is refused before anything is written.
  let tasks: number;
  try {
    // The first pass also checks every row (and each flow's dependencies) as the tools would.
    tasks = yield* checkLegacyFlows(bigListFlows(path), file);
  } catch (e) {
    if (!(e instanceof StreamSyntaxError)) throw e;
    if (/no top-level/.test(e.message)) {
      if (orWhole) return undefined;
      throw new FlowError(
        'invalid_input',
        `${file} is over ${STREAM_OVER / 1024 / 1024} MB and has no top-level "flows" list; files that big are read as list-layout flows.json only.`,
        'Split the file, or import a list-layout flows.json; nothing was imported.',
      );
    }
    throw new FlowError(
      'invalid_input',
      `${file} is not valid JSON (line ${e.line}, column ${e.column}: ${e.message}).`, // messages never quote the text
      'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
      { line: e.line, column: e.column },
    );
  }
  const flows = bigListFlows(path);
  // Stryker disable next-line ObjectLiteral: unchecked, the import would run the same check again (one more pass over the file), same outcome
  const checked = { tasks };
  return yield* importLegacyFlowsSteps(call, { layout: 'flows-list', flows, current_flow_id: topLevelString(path, 'current_flow_id', size) }, { source: file, dry_run: opts.dry_run, checked, batchTasks: opts.batchTasks });
}

/** `path` is the file to read; `file` (by default the same) is how reports and errors name it. */
export function importFile(call: Call, path: string, opts: ImportOptions, file = path): ImportReport {
  const report = runSteps(readAndImport(call, path, opts, file));
  // The record is written; the search entries of its plans and tasks follow (core/docs/search-backlog.ts).
  catchUpAfterImport(call);
  return report;
}

/** A file read whole (a layout that is not streamed) is refused past this. */
const READ_WHOLE_MAX = 1024 * 1024 * 1024;

function cannotRead(file: string, e: unknown): FlowError {
  // Stryker disable next-line StringLiteral: Node's file errors always carry a code; 'unreadable' is a fallback no read reaches
  return new FlowError('not_found', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}.`, 'Give the path of a flows.json, workflow.json, context.json or current_flow.txt.');
}

function notAFile(file: string): FlowError {
  return new FlowError(
    'invalid_input',
    `${file} is not a regular file (a FIFO, a device or a folder stands there): nothing was read.`,
    'Give the path of a flows.json, workflow.json, context.json or current_flow.txt; nothing was imported.',
  );
}

function* readAndImport(call: Call, path: string, opts: ImportOptions, file: string): Steps<ImportReport> {
  const size = importSourceSize(path, file);
  if (size > (opts.streamOver ?? STREAM_OVER)) {
    const streamed = yield* importBigList(call, resolve(path), size, opts, file, size <= STREAM_OVER);
    if (streamed) return streamed;
  }
  let text: string;
  try {
    const read = readFileBounded(resolve(path), READ_WHOLE_MAX);
    if (!read.ok && read.reason === 'not_a_file') throw notAFile(file);
    if (!read.ok) {
      throw new FlowError(
        'invalid_input',
        `${file} is over ${READ_WHOLE_MAX / 1024 / 1024} MB and not a list-layout flows.json (the one layout read a flow at a time): nothing was imported.`,
        'Split it into smaller files and import each.',
      );
    }
    // Bytes that are not UTF-8 would be read as U+FFFD: the file's text rewritten without a word.
    if (!isUtf8(read.bytes)) {
      throw new FlowError(
        'invalid_input',
        `${file} is not UTF-8 text: some of its bytes would be read as U+FFFD, not as what they were. Nothing was imported.`,
        'Save it as UTF-8 (the earlier Flow system wrote UTF-8; other bytes mean it was edited or damaged since) and import again.',
      );
    }
    text = read.bytes.toString('utf8');
  } catch (e) {
    if (isFlowError(e)) throw e;
    throw cannotRead(file, e);
  }
  if (!/^\s*[{[]/.test(text)) {
    // current_flow.txt: one legacy flow id, which becomes the default flow if it was imported. Any
    // other text is refused without a word of it in the error (it may be a secret someone pointed us at).
    const legacy = text.trim();
    if (basename(file) !== 'current_flow.txt' && !/^[^\s]{1,100}$/.test(legacy)) {
      throw new FlowError(
        'invalid_input',
        `${file} is neither JSON nor a current_flow.txt.`,
        'Give the path of a flows.json, workflow.json, context.json, current_flow.txt or flowmcp export; nothing was imported.',
      );
    }
    const flow = legacy ? getFlowByLegacyId(call.ws.db, legacy) : undefined;
    if (!flow) throw new FlowError('not_found', `${file} names a flow that has not been imported (or names none).`, 'Import the flows.json first, then current_flow.txt; nothing was changed.');
    if (!opts.dry_run) call.ws.write(() => setDefaultFlow(call.ws.db, flow.id));
    return { layout: 'current-flow', current_flow: flow.id, dry_run: !!opts.dry_run };
  }
  const parsed = parseJsonAt(text);
  if (!parsed.ok) {
    throw new FlowError(
      'invalid_input',
      `${file} is not valid JSON (line ${parsed.line}, column ${parsed.column}: ${parsed.message}).`, // never the text itself
      'Fix the file (or restore it from version control) and import again; it was not changed, and nothing was imported.',
      { line: parsed.line, column: parsed.column },
    );
  }
  const layout = detectLayout(parsed.value);
  const v = parsed.value as { meta?: { exported_by?: unknown } };
  if (layout === 'flows-3.0' && v.meta?.exported_by === EXPORT_MARK) return importExport(call, parsed.value as Record<string, unknown>, { source: file, dry_run: opts.dry_run });
  if (layout === 'context') return importLegacyContext(call, { text, source: file, ...opts });
  if (!layout) {
    throw new FlowError(
      'invalid_input',
      `${file} is not a layout flowmcp knows${Array.isArray(parsed.value) ? ': it is a bare list' : ''}. It reads flows.json as {"flows": [ … ]}, {"flows": {"<id>": { … }}} or {"version": "3.0", …}; workflow.json as {"tasks": [ … ]} or {"plans": [ … ]}; and context.json.`,
      Array.isArray(parsed.value)
        ? 'If the list holds flows, wrap it: {"flows": [ …the list… ]}, and import again; nothing was imported.'
        : 'Check that it is a file the earlier Flow system wrote; nothing was imported.',
    );
  }
  return yield* importLegacyFlowsSteps(call, readLegacy(parsed.value, layout, basename(file).replace(/\.json$/, '')), { source: file, dry_run: opts.dry_run, batchTasks: opts.batchTasks });
}

/**
 * An import asked for through MCP or /flow: `rel` must be a project file by the document rules, and
 * what it really is (after symlinks) too — still inside the project, still not hidden. Reports and
 * errors name it by that relative path.
 */
/**
 * The earlier Flow system kept its files in the hidden folder .ai-brain/. Through MCP and /flow that
 * folder is readable for exactly those files, so `/flow import .ai-brain/flows.json` works as the
 * files sit, while every other hidden path (.env, .git/, .flow/) stays refused.
 */
const LEGACY_FOLDER = '.ai-brain';
const LEGACY_NAMES = new Set(['flows.json', 'workflow.json', 'context.json', 'current_flow.txt']);

function legacyPath(rel: string): string | undefined {
  const trimmed = rel.trim().normalize('NFC');
  if (!trimmed.startsWith(`${LEGACY_FOLDER}/`)) return undefined;
  const rest = normalizeRelPath(trimmed.slice(LEGACY_FOLDER.length + 1), 'import file', 'flows.json');
  if (!LEGACY_NAMES.has(posix.basename(rest))) return undefined;
  return `${LEGACY_FOLDER}/${rest}`;
}

export function importProjectFile(call: Call, rel: string, opts: ImportOptions): ImportReport {
  const { real, norm } = projectImportFile(call, rel);
  return importFile(call, real, opts, norm);
}

/**
 * The same, for a server: the import pauses after each committed part (and while it checks a big file),
 * so other callers are answered meanwhile; parts are smaller than a one-shot command's, so none of them
 * holds the others long. Progress goes to the caller as parts land.
 */
export async function importProjectFileInTurns(call: Call, rel: string, opts: ImportOptions): Promise<ImportReport> {
  const { real, norm } = projectImportFile(call, rel);
  const report = await runStepsInTurns(readAndImport(call, real, { batchTasks: SERVER_BATCH_TASKS, streamOver: SERVER_STREAM_OVER, ...opts }, norm), 'import');
  catchUpAfterImport(call);
  return report;
}

/** Tasks a server writes between two turns: a few tens of milliseconds of the one thread (npm run bench -- stall). */
const SERVER_BATCH_TASKS = 10_000;
/**
 * A server reads a list-layout file over this size a flow at a time, in turns: parsed whole, a 20 MB
 * file held the thread ~0.25 s (npm run bench -- stall). Other layouts are still read whole (≤ 32 MB).
 */
const SERVER_STREAM_OVER = 4 * 1024 * 1024;

/** Where the project file `rel` really is, by the document rules; how reports name it. */
function projectImportFile(call: Call, rel: string): { real: string; norm: string } {
  const hint =
    'Name a file inside the project that is not hidden (the earlier Flow system\'s .ai-brain/flows.json, workflow.json, context.json and current_flow.txt are allowed), or run flowmcp import <file> in your own shell.';
  const legacy = legacyPath(rel);
  const norm = legacy ?? normalizeRelPath(rel, 'import file', 'flows.json');
  // safeJoin refuses hidden names, so the one hidden folder allowed is the root it joins under; where the
  // file really is (outside, or hidden elsewhere) is checked below either way.
  const file = legacy ? safeJoin(join(call.ws.root, LEGACY_FOLDER), legacy.slice(LEGACY_FOLDER.length + 1)) : safeJoin(call.ws.root, norm);
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    // Stryker disable next-line StringLiteral: Node's file errors always carry a code; 'unreadable' is a fallback no read reaches
    throw new FlowError('not_found', `Cannot read ${norm}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}.`, hint);
  }
  const under = relative(realpathSync(call.ws.root), real);
  const segs = under.split(sep);
  const hidden = segs.some((seg, i) => seg.startsWith('.') && !(legacy && i === 0 && seg === LEGACY_FOLDER && LEGACY_NAMES.has(segs[segs.length - 1]!)));
  // Stryker disable next-line MethodExpression: a path outside starts with the segment '..', which `hidden` refuses as well; the test says what is meant
  if (!under || under.startsWith('..') || hidden) {
    throw new FlowError('invalid_input', `${norm} leads outside the project or into a hidden file; it was not read.`, hint);
  }
  if (!statSync(real).isFile()) throw new FlowError('invalid_input', `${norm} is not a file.`, hint);
  return { real, norm };
}

/**
 * The size of the file an import would read, or the error it would be refused with (nothing read, nothing
 * opened but the file): the CLI asks before it opens the project, so an import refused for its file makes
 * no `.flow/` in a folder that had none. What stands at the path is looked at on an open descriptor
 * (O_NONBLOCK: a FIFO never holds the open): a FIFO or /dev/zero planted as .ai-brain/flows.json hung
 * the import, or grew it without end.
 */
export function importSourceSize(path: string, file = path): number {
  let size: number | undefined;
  try {
    size = regularFileSize(resolve(path));
  } catch (e) {
    throw cannotRead(file, e);
  }
  if (size === undefined) throw notAFile(file);
  return size;
}
