import { describe, expect, it } from 'vitest';
import { idLengthFor, newIds } from '../../src/core/ids.js';

describe('ids drawn in bulk (imports)', () => {
  it('stay four letters for a project of ordinary size and grow only when the table is crowded', () => {
    expect(idLengthFor(0)).toBe(4);
    expect(idLengthFor(10_000)).toBe(4);
    expect(idLengthFor(1_000_000)).toBe(5);
    expect(idLengthFor(100_000_000)).toBeGreaterThan(5);
  });

  it('never hands out an id the table holds, nor the same id twice', () => {
    // A crowded space: the table already holds most two-letter ids, so many picks must be redrawn.
    const held = new Set<string>();
    const A = '23456789abcdefghijkmnpqrstuvwxyz';
    for (const a of A) for (const b of A) if (held.size < 900) held.add(`t-${a}${b}`);
    let rounds = 0;
    const ids = newIds('task', 100, 2, (picks) => {
      rounds++;
      return new Set(picks.filter((p) => held.has(p)));
    });
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(held.has(id)).toBe(false);
    expect(ids.every((id) => /^t-[2-9a-km-z]{2,}$/.test(id))).toBe(true);
    expect(rounds).toBeGreaterThan(1);
  });
});
