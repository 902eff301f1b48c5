// Which link targets the page follows (safeHref): http(s) and paths on this server, never a script URL,
// and never a path that a browser reads as another host ("//evil", "/\evil").
import { describe, expect, it } from 'vitest';
import { safeHref } from '../../../src/web/page/dom.js';

describe('safeHref', () => {
  it('keeps http(s) links, paths and anchors on this server', () => {
    for (const u of ['https://example.com/x', 'http://example.com', '/api/board', '#/task/t1', './a', '../b', '/']) expect(safeHref(u), u).toBe(u);
  });

  it('refuses script and data URLs, and paths a browser resolves to another host', () => {
    for (const u of ['javascript:alert(1)', 'data:text/html,x', '//evil.com', '/\\evil.com', '/\\/evil.com', ' /\\evil.com', 'vbscript:x']) expect(safeHref(u), u).toBeUndefined();
  });
});
