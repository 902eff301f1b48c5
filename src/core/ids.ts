// Short, typed ids: a one-letter prefix per kind and a few random characters from an alphabet without
// look-alikes (no 0/o, 1/l). Length grows when collisions show the space is getting crowded.
import { randomInt } from 'node:crypto';

export const ID_PREFIX = { flow: 'f', plan: 'p', task: 't', document: 'd', context: 'c', snapshot: 's' } as const;
export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyz';
const START_LENGTH = 4;
const TRIES_PER_LENGTH = 3;

export function newId(kind: IdKind, taken: (id: string) => boolean): string {
  for (let len = START_LENGTH; ; len++) {
    for (let i = 0; i < TRIES_PER_LENGTH; i++) {
      let s = `${ID_PREFIX[kind]}-`;
      for (let j = 0; j < len; j++) s += ALPHABET[randomInt(ALPHABET.length)];
      if (!taken(s)) return s;
    }
  }
}
