// Runs one exported function of a source module in a worker thread and ends the worker if it has not
// answered within `limitMs`: for tests of inputs that once made a function run for minutes (backtracking
// patterns), so a regression fails the test with a clear message instead of hanging the test run. The
// limit is orders of magnitude above the fixed code's time; it says "did not finish", never "was slow".
import { Worker } from 'node:worker_threads';

// The worker loads TypeScript sources through tsx's loader, registered in the worker itself.
const BODY = `
const { parentPort, workerData } = require('node:worker_threads');
import('tsx/esm/api')
  .then(({ register }) => (register(), import(workerData.module)))
  .then((m) => parentPort.postMessage({ value: m[workerData.fn](...workerData.args) }), (e) => parentPort.postMessage({ error: String(e) }));
`;

export async function inWorker<T>(module: URL, fn: string, args: unknown[], limitMs = 60_000): Promise<T> {
  const worker = new Worker(BODY, { eval: true, workerData: { module: module.href, fn, args } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${fn} did not finish within ${limitMs} ms`)), limitMs);
      worker.once('message', (m: { value?: T; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.value as T)));
      worker.once('error', reject);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
