// A one-line progress bar on stderr for long work (indexing, re-embedding), only when a person is
// watching: never with --json, never into a pipe or a log file.
import type { Call } from '../core/kernel/workspace.js';

export function progressBar(json: boolean): Call['progress'] {
  if (json || !process.stderr.isTTY) return undefined;
  return (done, total, message) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : 0;
    process.stderr.write(`\r${message ?? 'working'} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}
