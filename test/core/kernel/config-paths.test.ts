// Where the two config files are looked for: the project's in its .flow/ folder, the user's own by
// $FLOWMCP_CONFIG, else $XDG_CONFIG_HOME, else ~/.config.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectConfigPath, userConfigPath } from '../../../src/core/kernel/config-paths.js';

describe('config paths', () => {
  it("the user's: $FLOWMCP_CONFIG, else under $XDG_CONFIG_HOME, else under ~/.config", () => {
    expect(userConfigPath({ FLOWMCP_CONFIG: '/c/mine.json', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/c/mine.json');
    expect(userConfigPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'flowmcp', 'config.json'));
    expect(userConfigPath({ HOME: '/h' })).toBe(join('/h', '.config', 'flowmcp', 'config.json'));
  });

  it('a relative $XDG_CONFIG_HOME is ignored, as the XDG spec says (it would name a folder in whatever project flowmcp runs in)', () => {
    expect(userConfigPath({ XDG_CONFIG_HOME: 'cfg', HOME: '/h' })).toBe(join('/h', '.config', 'flowmcp', 'config.json'));
  });

  it("the project's: config.json in its .flow/ folder", () => {
    expect(projectConfigPath(join('/p', '.flow'))).toBe(join('/p', '.flow', 'config.json'));
  });
});
