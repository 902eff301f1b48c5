// A cautious token count for briefings, without shipping a tokenizer: English runs at ~4 characters a
// token in the tokenizers assistants use; other scripts (Korean, CJK) can take a token or more per
// character. Over-counting only makes a briefing a little shorter than its budget; the tests check
// the estimate against a real tokenizer.
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3.5) + Math.ceil(other * 1.2);
}
