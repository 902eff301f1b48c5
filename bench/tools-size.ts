// What tools/list costs every client on every turn: bytes and tokens (cl100k/o200k-style tokenizer).
import { encode } from 'gpt-tokenizer';
import { advertise } from '../src/tools/advertise.js';
import { TOOLS } from '../src/tools/registry.js';
import { printTable } from './stats.js';

export function toolsSizeBench(): void {
  const rows = TOOLS.map((t) => {
    const j = JSON.stringify(advertise(t));
    return [t.name, j.length, encode(j).length];
  });
  const all = JSON.stringify({ tools: TOOLS.map(advertise) });
  rows.push(['all (tools/list result)', all.length, encode(all).length]);
  printTable('tools/list size (budget for the whole finished surface: 3,000 tokens)', ['tool', 'bytes', 'tokens'], rows);
}
