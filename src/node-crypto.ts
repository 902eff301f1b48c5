// node:crypto, loaded at its first use rather than when a module that may need it is loaded: it brings
// node's stream machinery with it (~3.7 ms, measured on a quiet machine), and a one-shot command such
// as `task list` would otherwise pay for it without drawing a random byte or hashing anything.
import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
