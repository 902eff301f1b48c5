// The shipped Korean→English lexicon: present, compact, translating developer words whatever
// particles and endings they carry, and a missing file degrading to "untranslated", never a failure.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { koreanLexicon, Lexicon, LEXICON_FILE, loadKoreanLexicon } from '../../src/search/lexicon.js';
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

describe('reading lexicon entries', () => {
  it('skips a line without a key, without a count column, or with no translations; the last line needs no newline', () => {
    const lex = Lexicon.parse('\t3\tnokey:0.5\n한줄\tonly-one-tab:0.5\n빈칸\t3\t\n두칸\t3\t \n마지막\t2\tlast:0.5');
    expect(lex.size).toBe(2);
    expect(lex.lookup('마지막')).toEqual([{ word: 'last', p: 0.5 }]);
    expect(lex.lookup('한줄')).toEqual([]);
    expect(lex.lookup('빈칸')).toEqual([]);
  });

  it("the shipped file's reader (binary search on sorted lines) skips the same lines the parser does", () => {
    // Sorted by unit, as the shipped file is; each malformed kind beside well-formed neighbours.
    const lines = ['두칸\t3\t ', '마지막\t2\tlast:0.5', '빈칸\t3\t', '서버\tserver:0.9', '한줄\tonly-one-tab:0.5', '로그\t3\tlog:0.5'];
    const text = lines.sort((a, b) => Buffer.compare(Buffer.from(a.split('\t')[0]!), Buffer.from(b.split('\t')[0]!))).join('\n');
    const sorted = Lexicon.fromSortedBytes(Buffer.from(`\t3\tnokey:0.5\n${text}`));
    const parsed = Lexicon.parse(`\t3\tnokey:0.5\n${text}`);
    for (const u of ['두칸', '마지막', '빈칸', '서버', '한줄', '로그', '', '없음']) expect(sorted.lookup(u), u).toEqual(parsed.lookup(u));
    expect(sorted.lookup('마지막')).toEqual([{ word: 'last', p: 0.5 }]);
    expect(sorted.lookup('로그를')).toEqual([{ word: 'log', p: 0.5 }]);
  });

  it('an empty line or a line with a single tab is no entry, and does not hide the lines after it', () => {
    const lex = Lexicon.parse('\n서버\tserver:0.9\n로그\t3\tlog:0.5\n');
    expect(lex.size).toBe(1);
    expect(lex.lookup('로그')).toEqual([{ word: 'log', p: 0.5 }]);
    expect(Lexicon.parse('서버\tserver:0.9').size).toBe(0);
  });

  it('keeps a translation only with a word and a probability above 0 and at most 1', () => {
    const lex = Lexicon.parse('서버\t10\t:0.5 zero:0 one:1 over:1.01 neg:-0.5 half:0.5 nan:x a:b:0.25\n');
    expect(lex.lookup('서버')).toEqual([
      { word: 'one', p: 1 },
      { word: 'half', p: 0.5 },
      { word: 'a:b', p: 0.25 },
    ]);
    // Asked again (parsed once, then kept): the same answer.
    expect(lex.lookup('서버에')).toEqual(lex.lookup('서버'));
  });

  it('a known prefix whose translations were all dropped does not stop the search for a shorter one', () => {
    const lex = Lexicon.parse('배포하\t5\tjunk:7\n배포\t9\tdeploy:0.9\n');
    expect(lex.lookup('배포하려면')).toEqual([{ word: 'deploy', p: 0.9 }]);
  });

  it('a single syllable answers for itself and for two-syllable words only', () => {
    const lex = Lexicon.parse('값\t9\tvalue:0.9\n');
    expect(lex.lookup('값')).toEqual([{ word: 'value', p: 0.9 }]);
    expect(lex.lookup('값을')).toEqual([{ word: 'value', p: 0.9 }]);
    expect(lex.lookup('값으로')).toEqual([]);
  });

  it('translate keeps each English word once, at the best probability any Korean word gave it, from minP up', () => {
    const lex = Lexicon.parse('서버\t9\tserver:0.5 host:0.2\n서버에\t9\tserver:0.9\n로그\t9\tlog:0.3\n');
    for (const text of ['서버 서버에', '서버에 서버']) {
      expect(lex.translate(text)).toEqual(expect.arrayContaining([{ word: 'server', p: 0.9 }, { word: 'host', p: 0.2 }]));
      expect(lex.translate(text)).toHaveLength(2);
    }
    expect(lex.translate('서버 로그', 0.3)).toEqual([{ word: 'server', p: 0.5 }, { word: 'log', p: 0.3 }]);
    expect(lex.translate('deploy the server')).toEqual([]);
  });

  it("the shipped file, read by binary search on its sorted lines (never parsed whole), answers every unit as the parsed map does; loaded by the thread pool, it is the one a search loaded at once meanwhile", async () => {
    const file = join(packageRoot(), LEXICON_FILE);
    const lex = koreanLexicon(file);
    const bytes = gunzipSync(readFileSync(file));
    const parsed = Lexicon.parse(bytes.toString('utf8'));
    const sorted = Lexicon.fromSortedBytes(bytes);
    expect(sorted.size).toBe(parsed.size);
    const units = bytes.toString('utf8').split('\n').map((l) => l.split('\t')[0]!).filter(Boolean);
    // Sorted by their UTF-8 bytes: what the binary search relies on (train-lexicon.ts writes them so).
    for (let i = 1; i < units.length; i++) expect(Buffer.compare(Buffer.from(units[i - 1]!), Buffer.from(units[i]!)), units[i]).toBe(-1);
    for (const u of units) expect(sorted.lookup(u), u).toEqual(parsed.lookup(u));
    for (const u of ['없는말', '가가가가', 'zzz', '파일을저장']) expect(sorted.lookup(u)).toEqual(parsed.lookup(u));
    // Words it does not know are not kept: a long-running server's questions cannot grow it without bound.
    const kept = () => (sorted as unknown as { entries: Map<string, unknown> }).entries.size;
    const before = kept();
    for (let i = 0; i < 500; i++) sorted.lookup(`뷁${String.fromCharCode(0xac00 + i)}뷁`);
    expect(kept()).toBe(before);
    expect(await loadKoreanLexicon(file)).toBe(lex);
  });

  it('the shipped file is read once per process', () => {
    expect(koreanLexicon()).toBe(koreanLexicon());
    expect(koreanLexicon().size).toBeGreaterThan(20_000);
  });
});

describe('a missing or damaged lexicon file', () => {
  it('leaves Korean words untranslated, says so once on stderr, and never throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmcp-lexicon-'));
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const damaged = join(dir, 'damaged.tsv.gz');
      writeFileSync(damaged, 'not gzip at all');
      expect(koreanLexicon(damaged).lookup('서버')).toEqual([]);
      expect(koreanLexicon(damaged).translate('서버 로그')).toEqual([]);
      expect(koreanLexicon(join(dir, 'missing.tsv.gz')).size).toBe(0);
      const inTurns = join(dir, 'in-turns.tsv.gz');
      writeFileSync(inTurns, 'not gzip either');
      expect((await loadKoreanLexicon(inTurns)).translate('서버 로그')).toEqual([]);
      expect(koreanLexicon(inTurns).size).toBe(0);
      const said = spy.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('Korean lexicon'));
      expect(said).toHaveLength(3); // once per file, not once per lookup
      expect(said[0]).toContain('Reinstall flowmcp');
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
