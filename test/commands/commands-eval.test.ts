// The plain-language requests of split A of the blind evaluation (bench/commands-eval/requests.json) are
// read as their writer meant: what was fixed for them stays fixed. Split B is held out and never asserted
// (npm run eval:commands reports it).
import { afterAll, describe, expect, it } from 'vitest';
import { evalProject, evalRequests } from '../helpers/commands-eval.js';

const { t, judge } = evalProject();
afterAll(() => t.cleanup());

describe('plain language written blind, split A', () => {
  const requests = evalRequests().filter((r) => r.split === 'A');
  it('holds English and Korean requests of every kind', () => {
    expect(requests.filter((r) => r.id.startsWith('en')).length).toBeGreaterThanOrEqual(70);
    expect(requests.filter((r) => r.id.startsWith('ko')).length).toBeGreaterThanOrEqual(50);
  });
  for (const r of requests) {
    it(`${r.id}: ${r.text}`, () => {
      const j = judge(r);
      expect(j.right, `want ${j.want}\ngot  ${j.got}`).toBe(true);
    });
  }
});
