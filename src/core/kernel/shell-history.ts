// The shell's history, .flow/shell_history: lines only ever appended. A cloned repository may have
// written it, so it is read from its end with a bound (a huge file once kept the shell from starting:
// too long for one string), and a line holding control characters is left out: recalled with the
// arrow keys, it would write them to the terminal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFileTail } from '../../store/bounded-file.js';

/** Bytes read from the end: `lines` lines of a few hundred characters. */
const BYTES_PER_LINE = 512;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const shellHistoryFile = (flowDir: string): string => join(flowDir, 'shell_history');

/** The newest `lines` lines of the history, newest first (as readline takes them). */
export function readShellHistory(flowDir: string, lines: number): string[] {
  const file = shellHistoryFile(flowDir);
  const kept = existsSync(file) ? (readFileTail(file, lines * BYTES_PER_LINE) ?? '') : '';
  return kept
    .split('\n')
    .filter((l) => l && !CONTROL.test(l))
    .slice(-lines)
    .reverse();
}
