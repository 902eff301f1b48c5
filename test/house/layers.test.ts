// The house keeps its shape (ARCHITECTURE.md, "Layers"): arrows point down, faces do not import each
// other, there are no import circles, and SQL lives in store/ only. Imports are read with TypeScript's
// own pre-processor (type-only and dynamic imports count: a type is an arrow too).
//
// Exceptions would be listed below by name (there are none now); the test fails on any arrow, circle or
// SQL not listed AND on a listed one that is gone, so a list can only shrink.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

/** The layers, top down. Files in one layer may import each other (circles aside). */
const LAYERS = {
  cli: /^src\/cli\//,
  server: /^src\/server\//,
  web: /^src\/web\//,
  project: /^src\/project\.ts$/,
  tools: /^src\/(tools|commands)\//,
  core: /^src\/core\//,
  /** search/ and memory-format/: algorithms and formats over what store/ keeps. */
  lower: /^src\/(search|memory-format)\//,
  store: /^src\/store\//,
  model: /^src\/(model\/|log\.ts$|paths\.ts$|version\.ts$|node-crypto\.ts$|background-turns\.ts$|find-program\.ts$|json-depth\.ts$)/,
} as const;
type Layer = keyof typeof LAYERS;

/**
 * Which layers each layer may import (besides its own). Faces reach the domain through tools,
 * commands, core and project.ts, never store/ or search/ directly; the CLI may start the server and mount the
 * web page on it (`serve`, `ui`), no other face imports another.
 */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  cli: ['server', 'web', 'project', 'tools', 'core', 'model'],
  server: ['project', 'tools', 'core', 'model'],
  web: ['project', 'tools', 'core', 'model'],
  project: ['tools', 'core', 'model'],
  tools: ['core', 'model'],
  core: ['lower', 'store', 'model'],
  lower: ['store', 'model'],
  store: ['model'],
  model: [],
};

/** Arrows that break the rules today (from → to): none since #14; an exception must be named here. */
const KNOWN_ARROWS = new Set<string>([]);
/** Files outside store/ that hold SQL: none since #14. */
const KNOWN_SQL = new Set<string>([]);
/** Import circles (their sorted files joined by " ↔ "): none since #14. */
const KNOWN_CIRCLES = new Set<string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const files = sources(SRC).map((f) => relative(ROOT, f).split('\\').join('/'));
const imports = new Map<string, string[]>(
  files.map((f) => {
    const info = ts.preProcessFile(readFileSync(join(ROOT, f), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => posix.normalize(posix.join(posix.dirname(f), s)).replace(/\.js$/, '.ts'));
    return [f, [...new Set(targets)]];
  }),
);
const layerOf = (f: string) => (Object.keys(LAYERS) as Layer[]).find((l) => LAYERS[l].test(f));

describe('the house', () => {
  it('every source file belongs to a layer', () => {
    expect(files.filter((f) => !layerOf(f))).toEqual([]);
  });

  it('arrows point down, one layer to the next, and faces do not import each other', () => {
    const wrong: string[] = [];
    for (const [from, targets] of imports) {
      const a = layerOf(from)!;
      for (const to of targets) {
        const b = layerOf(to);
        if (b && b !== a && !MAY_IMPORT[a].includes(b)) wrong.push(`${from} → ${to}`);
      }
    }
    expect(wrong.filter((w) => !KNOWN_ARROWS.has(w)), 'new arrows that point up or across faces').toEqual([]);
    expect([...KNOWN_ARROWS].filter((w) => !wrong.includes(w)), 'listed arrows that are gone: take them off KNOWN_ARROWS').toEqual([]);
  });

  it('no import circles', () => {
    // Tarjan's strongly connected components: every component of more than one file is a circle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of imports.get(v) ?? []) {
        if (!imports.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        for (let w = stack.pop()!; ; w = stack.pop()!) {
          on.delete(w);
          comp.push(w);
          if (w === v) break;
        }
        if (comp.length > 1) circles.push(comp.sort().join(' ↔ '));
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    expect(circles.filter((c) => !KNOWN_CIRCLES.has(c)), 'new import circles').toEqual([]);
    expect([...KNOWN_CIRCLES].filter((c) => !circles.includes(c)), 'listed circles that are gone: take them off KNOWN_CIRCLES').toEqual([]);
  });

  it('SQL lives in store/ only', () => {
    // Statements in string literals, and the database calls that run them.
    const SQL = /(['"`])\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)\s|PRAGMA\s)|\.prepare\(|\bstmt\(|\.pragma\(|\.exec\(\s*[`'"]/;
    const holding = files.filter((f) => !f.startsWith('src/store/') && SQL.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(holding.filter((f) => !KNOWN_SQL.has(f)), 'SQL outside store/').toEqual([]);
    expect([...KNOWN_SQL].filter((f) => !holding.includes(f)), 'listed files hold no SQL now: take them off KNOWN_SQL').toEqual([]);
  });
});

