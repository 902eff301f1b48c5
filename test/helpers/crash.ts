// Kill -9 in the middle of work: starts a real server, runs `step` over and over until the process
// is SIGKILLed at a random moment, then waits for the loop to notice. Used by every crash test.
import { connect, type Connected } from './server.js';

export async function killDuringBurst(
  dir: string,
  step: (s: Connected, i: number) => Promise<void>,
  opts: { minMs: number; spreadMs: number; /** Steps acknowledged before the random wait begins (a busy machine may answer only a few in it). */ minSteps?: number },
): Promise<void> {
  const s = await connect({ dir });
  const pid = s.transport.pid!;
  let stop = false;
  let stepsDone: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (stepsDone = resolve));
  const burst = (async () => {
    for (let i = 0; !stop; i++) {
      if (i >= (opts.minSteps ?? 0)) stepsDone();
      try {
        await step(s, i);
      } catch {
        stepsDone();
        return; // the process is gone
      }
    }
  })();
  await enough;
  await new Promise((r) => setTimeout(r, opts.minMs + Math.floor(Math.random() * opts.spreadMs)));
  process.kill(pid, 'SIGKILL');
  stop = true;
  await burst;
  await s.close().catch(() => undefined);
}
