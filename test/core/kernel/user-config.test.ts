// The user's own config: re-read when it changes, and a broken one refused
// with the file and the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserConfig } from '../../../src/core/kernel/user-config.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest('flowmcp-user-');

describe('the user config', () => {
  it('is read again when it changes', () => {
    const file = join(scratch(), 'config.json');
    writeFileSync(file, JSON.stringify({ embedder: { provider: 'static' } }));
    expect(readUserConfig({ FLOWMCP_CONFIG: file })).toEqual({ embedder: { provider: 'static' } });
    writeFileSync(file, JSON.stringify({ embedder: { provider: 'openai', model: 'm', dimensions: 8 } }));
    expect(readUserConfig({ FLOWMCP_CONFIG: file })).toEqual({ embedder: { provider: 'openai', model: 'm', dimensions: 8 } });
  });

  it('broken: the file, where, and the fix', () => {
    const file = join(scratch(), 'config.json');
    writeFileSync(file, '{"embedder": ');
    const e = caught<FlowError>(() => readUserConfig({ FLOWMCP_CONFIG: file }));
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
      code: 'invalid_input',
      message: `${file} is not valid JSON (line 1, column 14).`,
      hint: 'Fix your config file or delete it to use the defaults. Nothing was changed.',
    });
  });

  it('a relative FLOWMCP_CONFIG is refused, not read: it names a file in whatever folder flowmcp runs in, which a repository could have written', () => {
    // Read as the user's own, a cloned repository's flowmcp.json had its hooks run with no trust asked,
    // and its embedder endpoint and key variable obeyed.
    const e = caught<FlowError>(() => readUserConfig({ FLOWMCP_CONFIG: 'flowmcp.json' }));
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
      code: 'invalid_input',
      message: 'FLOWMCP_CONFIG is a relative path ("flowmcp.json"): it names a file in whichever folder flowmcp runs in, where a repository could have written one, so no config was read.',
      hint: 'Set FLOWMCP_CONFIG to an absolute path (e.g. the full path of ~/.config/flowmcp/config.json), or unset it.',
    });
  });
});
