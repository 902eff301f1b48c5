// Short, typed ids: a one-letter prefix per kind and a few random characters from an alphabet without
// look-alikes (no 0/o, 1/l). Length grows when collisions show the space is getting crowded.
import { nodeCrypto } from '../../node-crypto.js';

export const ID_PREFIX = { flow: 'f', plan: 'p', task: 't', document: 'd', context: 'c', snapshot: 's' } as const;
export type IdKind = keyof typeof ID_PREFIX;

const KIND_OF_PREFIX = Object.fromEntries(Object.entries(ID_PREFIX).map(([k, p]) => [p, k])) as Record<string, IdKind>;

/** The kind whose id `text` is shaped like ("p-kt4t": a plan's), letter case aside; undefined for anything else. */
export function idKindOf(text: string): IdKind | undefined {
  const m = /^([a-z])-[0-9a-z]{2,40}$/i.exec(text);
  return m ? KIND_OF_PREFIX[m[1]!.toLowerCase()] : undefined;
}

const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyz';
const START_LENGTH = 4;
const TRIES_PER_LENGTH = 3;

export function newId(kind: IdKind, taken: (id: string) => boolean): string {
  for (let len = START_LENGTH; ; len++) {
    for (let i = 0; i < TRIES_PER_LENGTH; i++) {
      let s = `${ID_PREFIX[kind]}-`;
      for (let j = 0; j < len; j++) s += ALPHABET[nodeCrypto().randomInt(ALPHABET.length)];
      if (!taken(s)) return s;
    }
  }
}

/**
 * The id length a bulk allocation starts at: short ids while the table is small, and long enough
 * that a table of `rows` rows leaves random picks colliding less than one time in 16 (an import of a
 * million tasks would otherwise spend most of its ids retrying the crowded four-letter space).
 */
export function idLengthFor(rows: number): number {
  let len = START_LENGTH;
  while (ALPHABET.length ** len < rows * 16) len++;
  return len;
}

/**
 * `count` new ids at once: one random draw for all, and one `existing` call per round to learn
 * which picks are already used (instead of a lookup per id). With `cluster`, every id starts with the
 * same two random letters, so a big batch lands in one stretch of each index instead of all over it.
 */
export function newIds(kind: IdKind, count: number, length: number, existing: (ids: string[]) => Set<string>, cluster = false): string[] {
  const out: string[] = [];
  const mine = new Set<string>();
  const head = `${ID_PREFIX[kind]}-${cluster ? ALPHABET[nodeCrypto().randomInt(32)]! + ALPHABET[nodeCrypto().randomInt(32)]! : ''}`;
  for (let len = length, want = count; want > 0; len++) {
    const bytes = nodeCrypto().randomBytes(want * len);
    const picks: string[] = [];
    for (let i = 0; i < want; i++) {
      let s = head;
      // 256 is a multiple of the alphabet's 32 letters, so the low bits pick letters evenly.
      for (let j = 0; j < len; j++) s += ALPHABET[bytes[i * len + j]! & 31];
      if (!mine.has(s)) picks.push(s);
      mine.add(s);
    }
    const used = existing(picks);
    for (const s of picks) if (!used.has(s)) out.push(s);
    want = count - out.length;
  }
  return out;
}
