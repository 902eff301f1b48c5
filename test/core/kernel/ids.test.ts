import { describe, expect, it } from 'vitest';
import { idLengthFor, newIds } from '../../../src/core/kernel/ids.js';

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

  it('clustered for a big import batch: one shared two-letter start, then the random part', () => {
    const ids = newIds('task', 5_000, 4, () => new Set(), true);
    expect(new Set(ids).size).toBe(5_000);
    const heads = new Set(ids.map((id) => id.slice(0, 4)));
    expect(heads.size).toBe(1);
    expect(ids.every((id) => /^t-[2-9a-km-z]{6,7}$/.test(id))).toBe(true);
    // Only the few picks that collided within the batch were drawn again, one letter longer.
    expect(ids.filter((id) => id.length === 8).length).toBeGreaterThan(4_900);
  });
});
