// A cautious token count for briefings, without shipping a tokenizer. In the tokenizers assistants
// use, an English word is about one token per four letters, punctuation and symbols mostly a token
// each, and other scripts (Korean, CJK) up to a token or more per character. Over-counting only makes
// a briefing a little shorter than its budget; the tests check the estimate against a real tokenizer.
export function estimateTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/([A-Za-z0-9]+)|([\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e])|([^\x00-\x7f])/g)) {
    if (m[1]) n += Math.ceil(m[1].length / 4);
    else if (m[2]) n += 1;
    else n += 1.2;
  }
  return Math.ceil(n);
}
