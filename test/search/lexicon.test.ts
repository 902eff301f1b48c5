// The shipped Korean→English lexicon: present, compact, translating developer words whatever
// particles and endings they carry, and a missing file degrading to "untranslated", never a failure.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { koreanLexicon, Lexicon, LEXICON_FILE } from '../../src/search/lexicon.js';
import { StaticVectors } from '../../src/search/static-embedder.js';

const top = (lex: Lexicon, word: string) => lex.lookup(word)[0]?.word;

describe('shipped Korean lexicon', () => {
  const file = join(packageRoot(), LEXICON_FILE);
  const lex = koreanLexicon(file);

  it('is compact and knows tens of thousands of Korean units', () => {
    expect(statSync(file).size).toBeLessThan(2_000_000);
    expect(lex.size).toBeGreaterThan(20_000);
  });

  it('translates developer words, with or without particles and endings', () => {
    const cases: [string, RegExp][] = [
      ['파일', /^files?$/],
      ['서버에서', /^servers?$/],
      ['비밀번호를', /^passwords?$/],
      ['세션', /^sessions?$/],
      ['캐시', /^cache$/],
      ['데이터베이스에', /^databases?$/],
      ['인증서가', /^certificates?$/],
      ['요청을', /^request(s|ed)?$/],
      ['크기', /^size$/],
      ['포트', /^ports?$/],
    ];
    for (const [ko, en] of cases) expect(top(lex, ko), ko).toMatch(en);
  });

  it('gives a Korean question English words to search for', () => {
    const got = lex.translate('서버 로그 파일이 너무 커요', 0.1).map((t) => t.word);
    expect(got).toEqual(expect.arrayContaining(['server', 'log', 'file']));
  });

  it('places a Korean question near the English text that answers it', () => {
    const v = StaticVectors.load(undefined, () => lex);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const q = v.embed('비밀번호를 암호화해서 데이터베이스에 저장')!;
    expect(q).toBeDefined();
    const related = v.embed('hash the password before storing it in the database')!;
    const unrelated = v.embed('draw a red circle on the canvas')!;
    expect(cos(q, related)).toBeGreaterThan(cos(q, unrelated) + 0.1);
    // A particle glued to a foreign word is not a Korean word: it adds nothing to the vector.
    expect(Array.from(v.embed('Gunicorn으로')!)).toEqual(Array.from(v.embed('Gunicorn')!));
    // Without the lexicon the same question has no known word at all.
    expect(StaticVectors.load().embed('비밀번호를 암호화해서 데이터베이스에 저장')).toBeUndefined();
  });
});

describe('lexicon file problems', () => {
  it('parses only well-formed entries', () => {
    const lex = Lexicon.parse('서버\t10\tserver:0.9 bad nope:2 x:0.1\n\t\tjunk\n깨진줄\n');
    expect(lex.lookup('서버')).toEqual([
      { word: 'server', p: 0.9 },
      { word: 'x', p: 0.1 },
    ]);
    expect(lex.size).toBe(1);
  });
});

describe('a missing or damaged lexicon file', () => {
  it('leaves Korean words untranslated, says so once on stderr, and never throws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmcp-lexicon-'));
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const damaged = join(dir, 'damaged.tsv.gz');
      writeFileSync(damaged, 'not gzip at all');
      expect(koreanLexicon(damaged).lookup('서버')).toEqual([]);
      expect(koreanLexicon(damaged).translate('서버 로그')).toEqual([]);
      expect(koreanLexicon(join(dir, 'missing.tsv.gz')).size).toBe(0);
      const said = spy.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('Korean lexicon'));
      expect(said).toHaveLength(2); // once per file, not once per lookup
      expect(said[0]).toContain('Reinstall flowmcp');
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
