// A preview asked for must never run for real: --dry-run with a value, glued to a word, with another
// dash, or mid-line where the grammar does not read the line; and "/flow claim X for bob --dry-run"
// previews exactly what it would run.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace } from '../helpers/workspace.js';

describe('a dry run said in any form', () => {
  it('previews, or refuses; never a run', () => {
    const t = tempWorkspace();
    try {
      const { ok } = caller(t.call);
      ok('flow', { action: 'create', name: 'F' });
      ok('plan', { action: 'create', title: 'P' });
      ok('task', { action: 'create', title: 'Search index' });
      for (const text of [
        '/flow start --dry-run=true Search index',
        '/flow start Search index --dry-run=yes',
        'done Search index --dry-run=true',
        '/flow claim Search index --dry-run=1',
        '/flow done Search index,--dry-run',
        '/flow done Search index —dry-run',
        '/flow claim --dry-run Search index',
      ]) {
        const r = parseCommand(t.call, text);
        expect(r.kind !== 'run' || r.dry_run, `${text}: ${JSON.stringify(r)}`).toBe(true);
      }
      // The preview is what the run would be.
      const preview = parseCommand(t.call, '/flow claim Search index for bob --dry-run');
      const real = parseCommand(t.call, '/flow claim Search index for bob');
      expect(preview).toMatchObject({ kind: 'run', dry_run: true });
      expect(preview.kind === 'run' && real.kind === 'run' && preview.command.args).toEqual(real.kind === 'run' && real.command.args);
      // "--dry-run=false" is not run either: a person who wrote dry-run is asked to say it plainly.
      expect(parseCommand(t.call, '/flow done Search index --dry-run=false')).toMatchObject({ kind: 'error' });
      // Words of a title are words.
      expect(parseCommand(t.call, 'add task "test the dry run path"')).toMatchObject({ kind: 'run', dry_run: false, command: { args: { title: 'test the dry run path' } } });
    } finally {
      t.cleanup();
    }
  });
});
