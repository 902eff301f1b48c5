// The shell's completion: verbs and nouns after /flow, ids and flags after that.
import { describe, expect, it } from 'vitest';
import { completeLine } from '../../src/cli/shell.js';

describe('shell completion', () => {
  it('completes /flow, then verbs and nouns, then ids and flags', () => {
    expect(completeLine('/fl', () => [])[0]).toEqual(['/flow']);
    expect(completeLine('/flow sn', () => [])[0]).toEqual(['snapshot']);
    expect(completeLine('/flow ad', () => [])[0]).toContain('add');
    expect(completeLine('/flow done t-a', () => ['t-ab12', 't-cd34', 'p-ab12'])[0]).toEqual(['t-ab12']);
    expect(completeLine('/flow add task x --pri', () => [])[0]).toEqual(['--priority']);
    // Ids are asked for by the word typed, so only those starting with it are read.
    expect(completeLine('/flow done t-a', (prefix) => (prefix === 't-a' ? ['t-ab12'] : ['t-zz99']))[0]).toEqual(['t-ab12']);
  });
});
