// hooksMayExist decides whether a call loads the hook machinery at all, so it must never say "no" where
// a hook could be defined: a guard (pre hook) skipped that way would let a change through unchecked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hooksMayExist } from '../../../src/core/hooks/hooks-configured.js';
import { tempDirPerTest, workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
const scratch = tempDirPerTest();
const saved = { FLOWMCP_CONFIG: process.env.FLOWMCP_CONFIG, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, HOME: process.env.HOME };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A user config location that holds nothing, whichever variable names it. */
function noUserConfig(): string {
  const home = scratch();
  delete process.env.FLOWMCP_CONFIG;
  process.env.XDG_CONFIG_HOME = join(home, 'xdg');
  process.env.HOME = home;
  return home;
}

describe('hooksMayExist', () => {
  it('is false only when neither the project nor the user has a config file', () => {
    noUserConfig();
    const { ws } = workspace();
    expect(hooksMayExist(ws)).toBe(false);
  });

  it("is true for the project's .flow/config.json, whatever is in it (even a folder in its place)", () => {
    noUserConfig();
    const a = workspace().ws;
    writeFileSync(join(a.flowDir, 'config.json'), '{}');
    expect(hooksMayExist(a)).toBe(true);
    const b = workspace().ws;
    mkdirSync(join(b.flowDir, 'config.json'));
    expect(hooksMayExist(b)).toBe(true);
  });

  it("is true for the user's own config wherever it is named: FLOWMCP_CONFIG, XDG_CONFIG_HOME, ~/.config", () => {
    const home = noUserConfig();
    const { ws } = workspace();
    const own = join(home, 'mine.json');
    writeFileSync(own, '{}');
    process.env.FLOWMCP_CONFIG = own;
    expect(hooksMayExist(ws)).toBe(true);
    delete process.env.FLOWMCP_CONFIG;
    mkdirSync(join(home, 'xdg', 'flowmcp'), { recursive: true });
    writeFileSync(join(home, 'xdg', 'flowmcp', 'config.json'), '{}');
    expect(hooksMayExist(ws)).toBe(true);
    delete process.env.XDG_CONFIG_HOME;
    expect(hooksMayExist(ws)).toBe(false);
    mkdirSync(join(home, '.config', 'flowmcp'), { recursive: true });
    writeFileSync(join(home, '.config', 'flowmcp', 'config.json'), '{}');
    expect(hooksMayExist(ws)).toBe(true);
  });

  it('is true when the path cannot be looked at (a file where a folder should be): the readers say why', () => {
    const home = noUserConfig();
    const { ws } = workspace();
    writeFileSync(join(home, 'plain'), '');
    process.env.FLOWMCP_CONFIG = join(home, 'plain', 'config.json');
    expect(hooksMayExist(ws)).toBe(true);
  });
});
