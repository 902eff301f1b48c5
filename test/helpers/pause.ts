// The test side of src/core/kernel/test-pause.ts: start processes that stop at a named point, wait until
// they are all there, then let them go. Explicit synchronization, not sleeps.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const pauseEnv = (dir: string, point: string) => ({ FLOWMCP_TEST_PAUSE: `${point}=${dir}` });

/** Resolves when `count` processes have reached `point` (checked every 10 ms; fails after `timeoutMs`). */
export async function reached(dir: string, point: string, count = 1, timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = readdirSync(dir)
      .filter((f) => f.startsWith(`${point}.`) && f.endsWith('.reached'))
      .map((f) => Number(f.slice(point.length + 1, -'.reached'.length)));
    if (pids.length >= count) return pids;
    if (Date.now() > deadline) throw new Error(`only ${pids.length} of ${count} processes reached ${point}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function letGo(dir: string, point: string): void {
  if (!existsSync(join(dir, `${point}.go`))) writeFileSync(join(dir, `${point}.go`), '');
}
