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

  it('gives similar texts closer vectors than unrelated ones, and nothing for unknown words', () => {
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const q = vectors.embed('remove a folder and everything in it')!;
    const related = vectors.embed('delete a directory recursively')!;
    const unrelated = vectors.embed('format a date according to the locale')!;
    expect(cos(q, related)).toBeGreaterThan(cos(q, unrelated) + 0.1);
    expect(vectors.embed('체인지로그 작성')).toBeUndefined();
  });
});
