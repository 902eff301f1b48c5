// The inline spans the web page's markdown renderer finds in a text (src/web/page/markdown.ts), as
// plain values: for tests that run it in a worker (helpers/in-worker.ts).
import { INLINE } from '../../src/web/page/markdown.js';

export function inlineSpans(text: string): string[] {
  return [...text.matchAll(new RegExp(INLINE))].map((m) => m[0]);
}
