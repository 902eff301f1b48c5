// A development check: every result an action returns is exactly what its result schema says — no
// field missing or mistyped, and none the schema does not name. On under test (vitest.config sets
// FLOWMCP_CHECK_RESULTS, which the server processes the tests start inherit), so the whole suite
// asserts it on every call; off in normal use, where it would only cost time.
import { isDeepStrictEqual } from 'node:util';
import type { ToolSpec } from './define.js';

export const checkResults = process.env.FLOWMCP_CHECK_RESULTS === '1';

const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Throws when `result` does not match the action's result schema exactly (as JSON). */
export function checkResult(spec: ToolSpec, action: string, result: object): void {
  const parsed = spec.actions[action]!.output.safeParse(result);
  const problem = !parsed.success
    ? parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
        .join('; ')
    : isDeepStrictEqual(asJson(parsed.data), asJson(result))
      ? undefined
      : `fields the schema does not name: ${unnamed(asJson(result), asJson(parsed.data)).slice(0, 5).join(', ')}`;
  if (problem) throw new Error(`${spec.name} ${action} returned a result its schema does not describe: ${problem}`);
}

/** Paths present in `full` but not in `kept` (what parsing dropped). */
function unnamed(full: unknown, kept: unknown, path = ''): string[] {
  if (typeof full !== 'object' || full === null || typeof kept !== 'object' || kept === null) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(full)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in kept)) out.push(p);
    else out.push(...unnamed(v, (kept as Record<string, unknown>)[k], p));
  }
  return out;
}
