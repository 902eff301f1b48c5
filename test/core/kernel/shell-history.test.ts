// The shell's history as the shell gets it: newest first, lines with control characters left out, and
// of a file bigger than the lines asked for only its end read, from its first whole line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readShellHistory } from '../../../src/core/kernel/shell-history.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

function flowDir(history?: string): string {
  const dir = join(scratch(), '.flow');
  mkdirSync(dir);
  if (history !== undefined) writeFileSync(join(dir, 'shell_history'), history);
  return dir;
}

describe('readShellHistory', () => {
  it('no file is no history', () => {
    expect(readShellHistory(flowDir(), 10)).toEqual([]);
  });

  it('newest first, at most the lines asked for, planted control characters left out', () => {
    const dir = flowDir('one\ntwo\n\nthree \u001b[2J\nfour\u0085\nfive\ttab\nsix\n');
    expect(readShellHistory(dir, 10)).toEqual(['six', 'two', 'one']);
    expect(readShellHistory(dir, 2)).toEqual(['six', 'two']);
  });

  it('a file past the bound is read from its end, starting at a whole line', () => {
    // 512 bytes a line asked for: with 1 line, only the last 512 bytes are read; the cut line is dropped.
    const dir = flowDir(`${'x'.repeat(2000)}\nfirst whole\nlast\n`.replace('first whole', 'y'.repeat(490)));
    expect(readShellHistory(dir, 1)).toEqual(['last']);
    expect(readShellHistory(flowDir(`${'z'.repeat(600)}\nlast\n`), 1)).toEqual(['last']);
    expect(readShellHistory(flowDir(`${'z'.repeat(600)}\nlast\n`), 2)).toEqual(['last', 'z'.repeat(600)]);
  });
});
