// Checks a tool result as a client received it against the schema of the action that produced it
// (not only the tool's published, all-optional one): used by the helpers that talk to real servers.
import { toolOutput } from '../../src/tools/define.js';
import { findToolSpec } from '../../src/tools/registry.js';
import { checkResult } from '../../src/tools/result-check.js';

export function checkToolResult(tool: string, structured: Record<string, unknown> | undefined, isError: boolean | undefined): void {
  const spec = findToolSpec(tool);
  if (!spec || !structured) return;
  if (isError) {
    const r = toolOutput(spec).safeParse(structured);
    if (!r.success || !structured.error) throw new Error(`${tool}: an error result without a well-formed error: ${JSON.stringify(structured).slice(0, 300)}`);
    return;
  }
  if (spec.actionless) return checkResult(spec, Object.keys(spec.actions)[0]!, structured);
  const { action, ...rest } = structured;
  if (typeof action !== 'string' || !(action in spec.actions)) throw new Error(`${tool}: a result without its action: ${JSON.stringify(structured).slice(0, 300)}`);
  checkResult(spec, action, rest);
}
