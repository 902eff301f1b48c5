// A test-only synchronization point. With FLOWMCP_TEST_PAUSE="<point>=<dir>" in the environment, a
// process reaching <point> writes <dir>/<point>.<pid>.reached and waits until <dir>/<point>.go exists.
// Tests use it to make two processes truly overlap, or to kill -9 one at an exact step, instead of
// sleeping and hoping. Without the variable it costs one environment lookup.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const nap = new Int32Array(new SharedArrayBuffer(4));

/** The folder of the pause set for `point`, after saying it is reached; undefined when none is set. */
function reach(point: string): string | undefined {
  const spec = process.env.FLOWMCP_TEST_PAUSE;
  if (!spec) return undefined;
  const at = spec.indexOf('=');
  if (at < 0 || spec.slice(0, at) !== point) return undefined;
  const dir = spec.slice(at + 1);
  writeFileSync(join(dir, `${point}.${process.pid}.reached`), String(process.pid));
  return dir;
}

export function testPause(point: string): void {
  const dir = reach(point);
  if (!dir) return;
  // The core is synchronous here (inside or right before a transaction), so the wait is too.
  while (!existsSync(join(dir, `${point}.go`))) Atomics.wait(nap, 0, 0, 5);
}

/** The same point, waited for without holding the event loop: between the parts of long work run in turns (steps.ts). */
export async function testPauseTurn(point: string): Promise<void> {
  const dir = reach(point);
  if (!dir) return;
  while (!existsSync(join(dir, `${point}.go`))) await new Promise((resolve) => setTimeout(resolve, 5));
}
