// The vector half's WebAssembly module (scripts/wasm/vectors.wat, shipped as base64): compiled once
// per process, instantiated per user, since each instance owns its memory.
import { VECTORS_WASM } from './vectors-wasm.js';

// @types/node for Node 20 leaves WebAssembly to the DOM lib: the little used here, declared here.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: unknown;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}

export interface VectorsWasm {
  memory: WebAssembly.Memory;
  hamming: (q: number, rows: number, n: number, vecs: number, out: number, hist: number) => void;
  select: (out: number, n: number, cut: number, dst: number) => number;
  dots: (q: number, vecs: number, n: number, blocks: number, out: number) => void;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

export function vectorsWasm(): VectorsWasm {
  compiled ??= new WebAssembly.Module(Buffer.from(VECTORS_WASM, 'base64'));
  return new WebAssembly.Instance(compiled).exports as VectorsWasm;
}

/** Grows an instance's memory to at least `bytes`. */
export function ensureMemory(wasm: VectorsWasm, bytes: number): void {
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
}
