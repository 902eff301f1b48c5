// utcTimestamp over generated times: every real date-time in every written form (T or space, seconds
// or not, fractions of any length, Z, ±hh, ±hhmm, ±hh:mm, no zone = this machine's local time) comes out
// as Date itself would write it in UTC; a date or time that does not exist comes out as nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcTimestamp } from '../../../src/core/kernel/clock.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const daysIn = (y: number, mo: number) => new Date(Date.UTC(2000, mo + 1, 0)).getUTCDate() - (mo === 1 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);

const zone = fc.oneof(
  fc.constant(''),
  fc.constantFrom('Z', 'z'),
  fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }), form: fc.constantFrom('hh', 'hhmm', 'hh:mm') }),
);

const stamp = fc
  .record({
    y: fc.integer({ min: 100, max: 9999 }),
    mo: fc.integer({ min: 0, max: 11 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
    frac: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    sep: fc.constantFrom('T', ' '),
    zone,
  })
  .map((r) => ({ ...r, d: Math.min(r.d, daysIn(r.y, r.mo)) }));

describe('utcTimestamp', () => {
  it('writes every real date-time, in any of its forms, as Date does in UTC', () => {
    fc.assert(
      fc.property(stamp, ({ y, mo, d, h, mi, s, frac, sep, zone: z }) => {
        const secs = s === undefined ? '' : `:${pad(s)}${frac === undefined ? '' : `.${frac}`}`;
        const zoneText = typeof z === 'string' ? z : `${z.sign}${pad(z.h)}${z.form === 'hh' ? '' : z.form === 'hhmm' ? pad(z.m) : `:${pad(z.m)}`}`;
        const text = `${pad(y, 4)}-${pad(mo + 1)}-${pad(d)}${sep}${pad(h)}:${pad(mi)}${secs}${zoneText}`;
        const milli = s === undefined || frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
        const sec = s ?? 0;
        let expected: number;
        if (typeof z !== 'string') {
          const offset = (z.h * 60 + (z.form === 'hh' ? 0 : z.m)) * 60_000 * (z.sign === '-' ? -1 : 1);
          expected = Date.UTC(y, mo, d, h, mi, sec, milli) - offset;
        } else if (z === '') expected = new Date(y, mo, d, h, mi, sec, milli).getTime();
        else expected = Date.UTC(y, mo, d, h, mi, sec, milli);
        expect(utcTimestamp(text)).toBe(new Date(expected).toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it('a day past the end of its month, month 00 or 13, hour 24, minute or second 60, a year below 100, or an offset of 24 h is nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 0, max: 11 }), (y, mo) => {
        expect(utcTimestamp(`${pad(y, 4)}-${pad(mo + 1)}-${pad(daysIn(y, mo) + 1)}T00:00:00Z`)).toBeUndefined();
        expect(utcTimestamp(`${pad(y, 4)}-${pad(mo + 1)}-${pad(daysIn(y, mo))}T00:00:00Z`)).toBeDefined();
      }),
      { numRuns: 500 },
    );
    for (const bad of ['2025-00-10', '2025-13-10', '2025-01-10T24:00', '2025-01-10T10:60', '2025-01-10T10:10:60', '0099-01-10', '2025-01-10T10:10+24:00', '2025-01-10T10:10+05:60'])
      expect(utcTimestamp(bad), bad).toBeUndefined();
  });
});

describe('utcTimestamp, at the edges', () => {
  it('spaces around are no part of it', () => {
    expect(utcTimestamp('  2025-07-21T03:46:13.358Z \n')).toBe('2025-07-21T03:46:13.358Z');
  });

  it('day 00 does not exist; 29 February only in leap years (every fourth, not centuries unless by 400)', () => {
    expect(utcTimestamp('2025-01-00T00:00Z')).toBeUndefined();
    expect(utcTimestamp('1900-02-29T00:00Z')).toBeUndefined();
    expect(utcTimestamp('2100-02-29T00:00Z')).toBeUndefined();
    expect(utcTimestamp('2023-02-29T00:00Z')).toBeUndefined();
    expect(utcTimestamp('2000-02-29T00:00Z')).toBe('2000-02-29T00:00:00.000Z');
    expect(utcTimestamp('2024-02-29T00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('an offset that carries the time past year 9999 is written as Date writes such a year', () => {
    expect(utcTimestamp('9999-12-31T23:00-05:00')).toBe('+010000-01-01T04:00:00.000Z');
    expect(utcTimestamp('0100-01-01T03:00+05:00')).toBe('0099-12-31T22:00:00.000Z');
  });
});
