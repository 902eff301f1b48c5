// The shipped offline word vectors: present, loadable, and knowing related developer words.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { STATIC_VECTORS_FILE, StaticVectors } from '../../src/search/static-embedder.js';

describe('shipped static word vectors', () => {
  const file = join(packageRoot(), STATIC_VECTORS_FILE);
  const vectors = StaticVectors.load(file);

  it('is a compact table (a few MB) of tens of thousands of words', () => {
    expect(statSync(file).size).toBeLessThan(8_000_000);
    expect(vectors.vocabularySize).toBeGreaterThan(20_000);
    expect(vectors.dim).toBe(100);
  });

  it('places related developer words near each other', () => {
    const near = (w: string) => vectors.neighbours(w, 25).map((n) => n.word);
    expect(near('compress')).toEqual(expect.arrayContaining(['decompress']));
    expect(near('subprocess')).toEqual(expect.arrayContaining(['popen']));
    expect(near('delete')).toEqual(expect.arrayContaining(['remove']));
    expect(near('directory')).toEqual(expect.arrayContaining(['subdirectory']));
  });

  it("gives the same vectors while it looks a first search's words up in the table's text as once it has a map of every word", () => {
    const texts = ['remove a folder and everything in it', 'log logging logs', 'zzzunknownword', `${'configure the proxy '.repeat(40)}`, ''];
    const lazy = StaticVectors.load(file);
    const eager = StaticVectors.load(file);
    eager.indexAll();
    // The first few hundred lookups go through the text, the rest through the map it then makes: both agree.
    for (let round = 0; round < 3; round++) for (const t of texts) expect(lazy.embed(t)).toEqual(eager.embed(t));
    // Words at the table's two ends, a word inside another, and what is no word of it (two neighbours with the newline between them).
    const table = (lazy as unknown as { table: { words: string[] } }).table.words;
    const fresh = StaticVectors.load(file);
    for (const w of [table[0]!, table[table.length - 1]!, 'log', 'lo', 'og', `${table[5]}\n${table[6]}`, '']) expect(fresh.has(w)).toBe(table.includes(w));
    // Each of those words' own vector, from the text, as the map gives it; and no map was made for them.
    const first = StaticVectors.load(file);
    for (const w of [table[0]!, table[1]!, table[table.length - 2]!, table[table.length - 1]!]) expect(first.embed(w), w).toEqual(eager.embed(w));
    expect((first as unknown as { index?: Map<string, number> }).index).toBeUndefined();
  });

  it("made in turns by a server's warm-up, the map finds every word where the text does; a map a search made meanwhile is kept", async () => {
    const inTurns = StaticVectors.load(file);
    let turns = 0;
    await inTurns.indexAllInTurns(async () => void turns++);
    expect(turns).toBeGreaterThan(3);
    const table = (inTurns as unknown as { table: { words: string[] } }).table.words;
    for (let i = 0; i < table.length; i += 97) expect(inTurns.embed(table[i]!)).toEqual(vectors.embed(table[i]!));
    const raced = StaticVectors.load(file);
    const made = raced.indexAllInTurns(async () => {
      for (let i = 0; i < 300; i++) raced.has(`nope${i}`); // a search's lookups, past the count that makes the map at once
    });
    await made;
    const map = (raced as unknown as { index: Map<string, number> }).index;
    expect(map.size).toBe(table.length);
    expect(raced.has(table[table.length - 1]!)).toBe(true);
  });

  it('gives similar texts closer vectors than unrelated ones, and nothing for unknown words', () => {
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const q = vectors.embed('remove a folder and everything in it')!;
    const related = vectors.embed('delete a directory recursively')!;
    const unrelated = vectors.embed('format a date according to the locale')!;
    expect(cos(q, related)).toBeGreaterThan(cos(q, unrelated) + 0.1);
    expect(vectors.embed('체인지로그 작성')).toBeUndefined();
  });
});
