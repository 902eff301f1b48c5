// No test file leaves a temp folder behind: vitest is run (in a subprocess) on fixtures that make folders
// and never remove them (test/fixtures/temp/). A folder made by hand fails its file, named; folders made
// with tempDir() are removed when their file ends even when a test failed; and once the run is over the
// TMPDIR it was given holds nothing it made.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixtureTests } from '../helpers/children.js';
import { tempDir } from '../helpers/temp.js';

describe('temp folders made by tests', () => {
  it('fail the file that leaves one, are removed with the file that made them, and none outlives the run', async () => {
    const tmp = tempDir();
    const notesDir = tempDir();
    const notes = join(notesDir, 'notes');
    const { code, out } = await runFixtureTests('temp', { TMPDIR: tmp, FLOWMCP_TEMP_NOTES: notes });
    expect(code, out).not.toBe(0);
    const made = readFileSync(notes, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]);
    const leaked = made.filter(([who]) => who === 'leaks').map(([, d]) => d);
    const forgotten = made.filter(([who]) => who === 'forgets').map(([, d]) => d);
    expect(leaked).toHaveLength(1);
    expect(forgotten).toHaveLength(2);

    // Each folder was made in the TMPDIR the run owns, not in the one it was given.
    for (const d of [...leaked, ...forgotten]) expect(d.startsWith(join(tmp, 'flowmcp-run-')), d).toBe(true);
    expect(out).toMatch(new RegExp(`leaks\\.fixture\\.ts left 1 temp folder\\(s\\) behind in \\S+: ${basename(leaked[0]!)}\\.`));
    expect(out).toMatch(/temp fixture: failed on purpose/);
    expect(out).not.toMatch(/forgets\.fixture\.ts left/);
    expect(out).toMatch(/\n1 passed, 1 failed, 0 skipped, 1 file\(s\) failed outside a test\n/);

    for (const d of [...leaked, ...forgotten]) expect(existsSync(d), d).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
