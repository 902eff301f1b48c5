// Lease time as the page shows it (leaseLeft, claimLive): counted down against the clock, rounded down,
// seconds under a minute, and no claim at all once the lease ran out.
import { expect, it } from 'vitest';
import { claimLive, leaseLeft } from '../../../src/web/page/types.js';

const now = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(now + s * 1000).toISOString();

it('rounds down, shows seconds under a minute, and says when the lease ran out', () => {
  expect(leaseLeft(at(125), now)).toBe('2 min left');
  expect(leaseLeft(at(60), now)).toBe('1 min left');
  expect(leaseLeft(at(59.5), now)).toBe('59 s left');
  expect(leaseLeft(at(1), now)).toBe('1 s left');
  expect(leaseLeft(at(0), now)).toBe('lease expired');
  expect(leaseLeft(at(-20), now)).toBe('lease expired');
  expect(leaseLeft(at(3600 + 5 * 60 + 59), now)).toBe('1 h 5 min left');
  expect(leaseLeft('not a date', now)).toBe('lease expired');
});

it('a claim holds only until its lease ends', () => {
  expect(claimLive(at(10), now)).toBe(true);
  expect(claimLive(at(0), now)).toBe(false);
  expect(claimLive(at(-1), now)).toBe(false);
  expect(claimLive(undefined, now)).toBe(false);
});
