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
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0'))] as const;
  let ms: number;
  if (zone) {
    ms = Date.UTC(...parts);
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2, 4) || '0') > 59) return undefined;
      ms -= sign * offset * 60_000;
    }
  } else {
    ms = new Date(...parts).getTime();
  }
  // A date or time that does not exist (Feb 30, 25:00) rolls over in Date: refuse it rather than move it.
  const check = new Date(Date.UTC(...parts));
  const back = [check.getUTCFullYear(), check.getUTCMonth(), check.getUTCDate(), check.getUTCHours(), check.getUTCMinutes(), check.getUTCSeconds()];
  if (back.some((v, i) => v !== parts[i]) || !Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString();
}
