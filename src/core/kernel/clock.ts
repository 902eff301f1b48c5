// Time comes from a Clock so tests can move it (lease expiry) without sleeping.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp another tool wrote, in the one format flowmcp stores: ISO 8601 UTC with milliseconds and
 * `Z` (`2025-07-21T03:46:13.358Z`). An offset (`+00:00`, `+0900`) is applied; a time without one is the
 * local time of this machine, as the tool that wrote it (Python's `datetime.now().isoformat()`) and
 * JavaScript both read it; fractions finer than a millisecond are cut. Anything else — not a date,
 * or a date that does not exist — is undefined, and the caller treats it as missing.
 */
export function utcTimestamp(text: string | null | undefined): string | undefined {
  const m = text ? TIMESTAMP.exec(text.trim()) : null;
  if (!m) return undefined;
  const y = +m[1]!, mo = +m[2]! - 1, d = +m[3]!, h = m[4] ? +m[4] : 0, mi = m[5] ? +m[5] : 0, s = m[6] ? +m[6] : 0;
  const frac = m[7];
  // Stryker disable next-line EqualityOperator: three digits padded to three are the same three digits
  const milli = frac ? +(frac.length >= 3 ? frac.slice(0, 3) : frac.padEnd(3, '0')) : 0;
  // A date or time that does not exist (Feb 30, 25:00) would roll over in Date: refuse it rather than move it.
  // Years below 100 too: Date reads them as 19xx.
  if (y < 100 || mo < 0 || mo > 11 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const zone = m[8];
  let ms: number;
  if (zone) {
    ms = Date.UTC(y, mo, d, h, mi, s, milli);
    // Stryker disable next-line StringLiteral: a Z sent through the offset arithmetic is an offset of 0 h 0 min
    if (zone !== 'Z' && zone !== 'z') {
      const oh = +zone.slice(1, 3);
      const om = zone.length > 3 ? +zone.slice(zone.length - 2) : 0;
      if (oh > 23 || om > 59) return undefined;
      ms -= (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
    }
  } else {
    ms = new Date(y, mo, d, h, mi, s, milli).getTime();
  }
  return Number.isFinite(ms) ? isoUtc(ms) : undefined;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(y: number, mo: number): number {
  return mo === 1 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : DAYS[mo]!;
}

const p2 = (n: number) => (n < 10 ? '0' + n : '' + n);

/** toISOString, built by hand: it is most of an import's time stamping (measured 0.35 µs a call). */
function isoUtc(ms: number): string {
  const t = new Date(ms);
  const y = t.getUTCFullYear();
  if (y < 1000 || y > 9999) return t.toISOString(); // four digits only; the rest as Date writes them
  const milli = t.getUTCMilliseconds();
  return `${y}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}T${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}.${milli < 10 ? '00' + milli : milli < 100 ? '0' + milli : milli}Z`;
}
