// A server's background work takes its slices after the calls: a slice does not start within a moment of
// a call's answer (when the client's next request is likely on its way), yet work still goes on under a
// stream of calls that never pauses. The bounds are checked on the clock, never as a timing margin: a
// turn that resolves too soon is wrong on any machine.
import { describe, expect, it, vi } from 'vitest';
import { callAnswered, immediateTurn, nextTurn, turnDue, TURN_WAITS } from '../src/background-turns.js';
import { dispatchAsync } from '../src/tools/dispatch.js';
import { findToolSpec } from '../src/tools/registry.js';
import { tempWorkspace } from './helpers/workspace.js';

const { QUIET_MS, MAX_WAIT_MS } = TURN_WAITS;

describe('background turns', () => {
  it('a turn asked right after a call was answered waits until calls have been quiet for a moment', async () => {
    for (let i = 0; i < 20; i++) {
      callAnswered();
      const answeredAt = performance.now();
      await nextTurn();
      expect(performance.now() - answeredAt).toBeGreaterThanOrEqual(QUIET_MS);
    }
  });

  it('under calls that never pause, each turn still comes, after waiting at most its share', async () => {
    let lastAnswer = performance.now();
    let stop = false;
    // A client calling back to back: an answer every turn of the event loop.
    const calls = (async () => {
      while (!stop) {
        callAnswered();
        lastAnswer = performance.now();
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
    try {
      for (let i = 0; i < 10; i++) {
        const asked = performance.now();
        await nextTurn();
        const now = performance.now();
        // Either the calls paused long enough, or the turn waited its longest.
        expect(now - lastAnswer >= QUIET_MS || now - asked >= MAX_WAIT_MS).toBe(true);
      }
    } finally {
      stop = true;
      await calls;
    }
  });

  it('the rule: a slice waits 2 ms after an answer, and never more than 2 ms in all', () => {
    // Calls answered every half millisecond (a client calling back to back): the slice still starts 2 ms after it asked.
    expect(turnDue(10.0, 8.5, 9.5)).toBe(false);
    expect(turnDue(10.5, 8.5, 10.0)).toBe(true);
    // Calls that paused: the slice starts once they have been quiet for 2 ms, however recently it asked.
    expect(turnDue(10.0, 9.9, 8.0)).toBe(true);
    expect(turnDue(10.0, 9.9, 8.1)).toBe(false);
  });

  it("every tool call a face runs counts as an answer: a slice asked for right after it waits", async () => {
    const t = tempWorkspace();
    try {
      await dispatchAsync(findToolSpec('flow')!, t.call, { action: 'list' });
      const answeredAt = performance.now();
      await nextTurn();
      expect(performance.now() - answeredAt).toBeGreaterThanOrEqual(TURN_WAITS.QUIET_MS);
    } finally {
      t.cleanup();
    }
  });

  it("a caller's own turn does not wait for calls", async () => {
    // The clock held still just after an answer: a background turn is never due, so the order cannot
    // depend on how busy the machine is. The caller's turn comes all the same; the background turn comes
    // once the clock moves past the quiet time.
    let clock = performance.now();
    const held = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      callAnswered();
      const order: string[] = [];
      const background = nextTurn().then(() => order.push('background'));
      // (Bounded so that a caller's turn that waits for the clock fails here rather than hangs.)
      const came = await Promise.race([immediateTurn().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 5_000))]);
      expect(came).toBe(true);
      order.push('caller');
      await new Promise((r) => setTimeout(r, 20)); // the background turn looks at the (held) clock again meanwhile
      expect(order).toEqual(['caller']);
      clock += QUIET_MS;
      await background;
      expect(order).toEqual(['caller', 'background']);
    } finally {
      held.mockRestore();
    }
  });

  it('lets pending work run before it resolves', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('pending'));
    await nextTurn();
    order.push('turn');
    expect(order).toEqual(['pending', 'turn']);
  });
});
