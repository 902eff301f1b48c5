import { describe, expect, it } from 'vitest';
import { idKindOf, idLengthFor, newId, newIds } from '../../../src/core/kernel/ids.js';

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

describe('ids drawn one at a time', () => {
  it('a few tries at four letters, then one letter longer', () => {
    // Every four-letter flow id taken: the next one drawn is five letters.
    const id = newId('flow', (s) => s.length <= 6);
    expect(id).toMatch(/^f-[2-9a-km-z]{5}$/);
  });
});

describe('ids drawn in bulk, not clustered', () => {
  it('every letter of every id drawn: not all share their start, none is one letter repeated', () => {
    const ids = newIds('task', 64, 8, () => new Set());
    expect(new Set(ids.map((id) => id.slice(0, 4))).size).toBeGreaterThan(1);
    // Each letter comes from its own random byte; a read outside the draw would give "2" (letter 0) over and over.
    expect(ids.filter((id) => /2{7}$/.test(id))).toEqual([]);
  });
});

describe('the kind an id is shaped like', () => {
  it('the whole text one id, any case; anything around it is not an id', () => {
    expect(idKindOf('P-Kt4t')).toBe('plan');
    expect(idKindOf('s-9srd')).toBe('snapshot');
    expect(idKindOf('fix t-abcd')).toBeUndefined();
    expect(idKindOf('t-abcd fix')).toBeUndefined();
    expect(idKindOf('x-abcd')).toBeUndefined();
  });
});
