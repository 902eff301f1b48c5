// The briefing's token estimate never counts fewer tokens than a real tokenizer (cl100k-style, as
// assistants use) on prose, code, ids, Korean, Japanese and emoji, so a budget is a real ceiling.
import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/memory-format/tokens.js';

const SAMPLES = [
  'Decision 12: retries use exponential backoff capped at 12 seconds — why: incident 12 showed duplicate charges (c-ab12)',
  '결정 3: 결제 재시도는 지수 백오프로 최대 다섯 번까지 한다. 체인지로그를 업데이트했다.',
  '- t-4kx9 [high] Write tests for the payment webhook handler',
  'const x = await fetch(`/api/v1/items?id=${id}&sort=-created_at`); if (!x.ok) throw new Error(x.statusText);',
  'We are moving checkout to the event pipeline. '.repeat(20),
  'internationalization telecommunications antidisestablishmentarianism',
  '日本語のテキストと中文文本を混ぜた文章です。',
  '🎉🚀 emoji test ✅ — done',
  'src/core/context-file.ts, src/context/merge.ts, test/e2e/context.test.ts',
  '{"what":"Use JWT","why":"stateless"} [1, 2, 3] <div class="x">&nbsp;</div>',
];

describe('estimateTokens', () => {
  for (const s of SAMPLES) {
    it(`never under-counts: ${s.slice(0, 40)}`, () => {
      expect(estimateTokens(s)).toBeGreaterThanOrEqual(encode(s).length);
    });
  }

  it('is not wildly cautious on English prose (a budget is mostly used)', () => {
    const prose = SAMPLES[4]!;
    expect(estimateTokens(prose) / encode(prose).length).toBeLessThan(1.6);
  });
});
