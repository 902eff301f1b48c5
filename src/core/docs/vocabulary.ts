// Which words are words: the offline vectors' vocabulary (34k English words and identifiers from Debian's
// documentation), asked by plain-language reading to tell a slip of the keyboard ("reopne") from a real
// word that happens to be one letter from a verb ("flow" and "flows", "lost" and "list").
import { staticVectors } from '../../search/static-embedder-adapter.js';

/** A test for "is this a known word", loading the vocabulary on first use; every word is known when it cannot be read. */
export function knownWords(): (w: string) => boolean {
  try {
    const v = staticVectors();
    return (w) => v.has(w);
  } catch {
    return () => true; // no vocabulary to tell words from slips: nothing is read as a slip
  }
}
