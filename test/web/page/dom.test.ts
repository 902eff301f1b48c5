// Which link targets the page follows (safeHref): http(s) and paths on this server, never a script URL,
// and never a path that a browser reads as another host ("//evil", "/\evil").
import { describe, expect, it } from 'vitest';
import { safeHref, visibleText } from '../../../src/web/page/dom.js';

describe('safeHref', () => {
  it('keeps http(s) links, paths and anchors on this server', () => {
    for (const u of ['https://example.com/x', 'http://example.com', '/api/board', '#/task/t1', './a', '../b', '/']) expect(safeHref(u), u).toBe(u);
  });

  it('refuses script and data URLs, and paths a browser resolves to another host', () => {
    for (const u of ['javascript:alert(1)', 'data:text/html,x', '//evil.com', '/\\evil.com', '/\\/evil.com', ' /\\evil.com', 'vbscript:x']) expect(safeHref(u), u).toBeUndefined();
  });
});

describe('visibleText', () => {
  it('shows bidi overrides, isolates, marks and zero-width characters as visible markers (they cannot reorder or hide text)', () => {
    expect(visibleText('RTL \u202Egnp.exe\u202C')).toBe('RTL ⟨U+202E⟩gnp.exe⟨U+202C⟩');
    expect(visibleText('a\u2066b\u2069c\u200Bd\uFEFFe\u200Ff\u061C')).toBe('a⟨U+2066⟩b⟨U+2069⟩c⟨U+200B⟩d⟨U+FEFF⟩e⟨U+200F⟩f⟨U+061C⟩');
    // Ordinary text, right-to-left scripts and joiners in emoji are left alone.
    for (const s of ['Release notes', 'שלום עולם', 'مرحبا', '결제 재시도', '👨\u200D👩\u200D👧']) expect(visibleText(s)).toBe(s);
  });
});
