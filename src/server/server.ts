// Builds the MCP server: tools/list from the tool definitions, tools/call through the dispatcher, and
// the workspace opened lazily on the first call (so the handshake never waits on disk or roots).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FlowError, type ErrorCode } from '../model/errors.js';
import type { Workspace, Call } from '../core/kernel/workspace.js';
import { log } from '../log.js';
import { advertise } from '../tools/advertise.js';
import { asFlowError, dispatchAsync, errorOutcome, type ToolOutcome } from '../tools/dispatch.js';
import { TOOLS, findToolSpec } from '../tools/registry.js';
import { VERSION } from '../version.js';
import { findProjectDir } from '../project.js';
import { startProject } from './start-project.js';
import { clientRoots } from './roots.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerSubscriptions } from './subscriptions.js';
import { TRANSLATE_SYSTEM } from '../commands/translate.js';

const STORAGE_CODES = new Set<ErrorCode>(['storage', 'disk_full', 'read_only', 'damaged', 'schema_too_new']);

export interface ServerOptions {
  dir?: string;
  /**
   * Team mode (HTTP): one workspace, opened once, shared by every session of this process. Each
   * session still gets its own current flow/plan.
   */
  workspace?: Workspace;
  /** Told about every tool call once it has an answer (the HTTP server's /metrics). */
  onToolCall?: (call: ToolCallRecord) => void;
}

export interface ToolCallRecord {
  tool: string;
  action: string;
  seconds: number;
  /** The error code of a failed call (invalid_input, not_found, conflict, storage, ...). */
  error?: string;
}

const INSTRUCTIONS =
  'flowmcp keeps this project\'s work in flows → plans → tasks that persist across sessions. ' +
  'Start a session with context resume (or flow list / flow get), task next to pick up work, ' +
  'task set_status as you go, context save for decisions and a summary before you stop. ' +
  'Ids look like f-…, p-…, t-…, c-…; errors say how to fix the call.';

export function toCallResult(o: ToolOutcome): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(o.structured) }], structuredContent: o.structured, isError: o.isError };
}

// The SDK gives every server its own Ajv (for elicitation replies, which flowmcp never asks for) unless
// handed one; building it was most of what a new HTTP session cost (about 1.1 of 1.9 ms, and ~60 KB).
// Ajv keeps no per-session state, so every session of the process shares one, made on first use.
let validator: AjvJsonSchemaValidator | undefined;
/** tools/list is the same for every session: built once (advertise caches each tool's schemas). */
let toolList: { tools: ReturnType<typeof advertise>[] } | undefined;

export function buildServer(opts: ServerOptions = {}): { mcp: McpServer; close: () => void } {
  const mcp = new McpServer(
    { name: 'flow', version: VERSION },
    {
      capabilities: { tools: { listChanged: false }, completions: {}, logging: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: (validator ??= new AjvJsonSchemaValidator()),
    },
  );
  const server = mcp.server;
  let call: Promise<Call> | undefined;
  let ws: Workspace | undefined;

  function context(): Promise<Call> {
    const shared = opts.workspace;
    if (shared) {
      call ??= Promise.resolve({ ws: shared, session: shared.session(server.getClientVersion()?.name ?? 'mcp-client') });
      return call;
    }
    call ??= (async () => {
      const where = await findProjectDir(opts.dir, clientRoots(server));
      const c = startProject(where, server.getClientVersion()?.name ?? 'mcp-client');
      ws = c.ws;
      return c;
    })();
    // A failed open (unwritable dir, newer schema) is reported on this call and retried on the next.
    call.catch(() => (call = undefined));
    return call;
  }

  server.setRequestHandler(ListToolsRequestSchema, () => (toolList ??= { tools: TOOLS.map(advertise) }));
  registerPrompts(mcp, context);
  registerResources(mcp, context);
  const dropSubscriptions = registerSubscriptions(mcp, context);
  // Open the project as soon as the handshake is done (never during it), so start-up checks run
  // before the first call arrives; a failure is reported again on that call.
  server.oninitialized = () => void context().catch((e) => log.warn(`cannot open the project yet: ${(e as Error).message}`));

  server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => {
    const spec = findToolSpec(req.params.name);
    if (!spec) {
      return toCallResult(
        errorOutcome(undefined, new FlowError('invalid_input', `Unknown tool "${req.params.name}".`, `Tools: ${TOOLS.map((t) => t.name).join(', ')}.`)),
      );
    }
    let c: Call;
    try {
      c = await context();
    } catch (e) {
      log.error(`cannot open the project: ${(e as Error).message}`);
      return toCallResult(errorOutcome(undefined, asFlowError(e)));
    }
    const token = req.params._meta?.progressToken;
    const progress =
      token === undefined
        ? undefined
        : (done: number, total: number, message?: string) =>
            void extra
              .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, ...(message ? { message } : {}) } })
              .catch(() => undefined);
    // The client's own model can read what the command parser cannot (MCP sampling), if it offers that.
    const translate = server.getClientCapabilities()?.sampling
      ? async (text: string, grammar: string) => {
          const r = await server.createMessage({
            systemPrompt: TRANSLATE_SYSTEM + grammar,
            messages: [{ role: 'user', content: { type: 'text', text } }],
            maxTokens: 200,
          });
          return r.content.type === 'text' ? r.content.text : undefined;
        }
      : undefined;
    const started = performance.now();
    const outcome = await dispatchAsync(spec, { ...c, progress, ...(translate ? { translate } : {}) }, req.params.arguments ?? {});
    opts.onToolCall?.({
      tool: spec.name,
      action: String(outcome.structured.action ?? ''),
      seconds: (performance.now() - started) / 1000,
      ...(outcome.isError ? { error: String((outcome.structured.error as { code?: string } | undefined)?.code ?? 'error') } : {}),
    });
    // The project's storage needs a person (bugs are logged with their stack where they are caught).
    if (outcome.isError && STORAGE_CODES.has((outcome.structured.error as { code: ErrorCode }).code)) {
      log.error(`${spec.name} ${String(outcome.structured.action)}: ${(outcome.structured.error as { message: string }).message}`);
    }
    return toCallResult(outcome);
  });

  // A shared workspace belongs to whoever opened it; only a workspace this server opened is closed here.
  return {
    mcp,
    close: () => {
      dropSubscriptions();
      ws?.close();
    },
  };
}
