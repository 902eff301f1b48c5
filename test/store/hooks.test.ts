// Hook delivery state on a real database: one lease holder at a time, an expired lease taken over,
// and a cursor that only the holder moves, only forward.
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { advanceCursor, clampRetry, ensureHookState, hookState, releaseLease, resetCursor, takeLease } from '../../src/store/hooks.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
let second: Workspace | undefined;
afterEach(() => {
  second?.close();
  second = undefined;
});

describe('hook_state', () => {
  it('one process holds a hook lease; an expired one is taken over; only the holder moves the cursor, forward', () => {
    t = workspace();
    second = Workspace.open(t.dir);
    const a = t.ws.db;
    const b = second.db;
    t.ws.write(() => ensureHookState(a, 'h', 'hash1', 10));
    expect(t.ws.write(() => takeLease(a, 'h', 'A', 1000, 2000))).toBe(true);
    expect(second.write(() => takeLease(b, 'h', 'B', 1500, 2500))).toBe(false); // A holds it
    expect(second.write(() => advanceCursor(b, 'h', 'B', 11))).toBe(false);
    expect(t.ws.write(() => advanceCursor(a, 'h', 'A', 12))).toBe(true);
    expect(t.ws.write(() => advanceCursor(a, 'h', 'A', 11))).toBe(false); // never back
    expect(second.write(() => takeLease(b, 'h', 'B', 2001, 3000))).toBe(true); // expired: taken over
    expect(t.ws.write(() => advanceCursor(a, 'h', 'A', 13))).toBe(false); // A lost it: its record is refused
    expect(hookState(b, 'h')).toMatchObject({ cursor: 12, lease_owner: 'B' });
    second.write(() => releaseLease(b, 'h', 'B'));
    expect(hookState(a, 'h')!.lease_owner).toBeNull();
    // A changed definition keeps its place; a new name would start fresh.
    t.ws.write(() => ensureHookState(a, 'h', 'hash2', 99));
    expect(hookState(a, 'h')).toMatchObject({ def_hash: 'hash2', cursor: 12 });
  });

  it('a lease ending later than any process could ask for counts as expired; a cursor and a retry time are brought back', () => {
    t = workspace();
    const db = t.ws.db;
    t.ws.write(() => ensureHookState(db, 'h', 'hash', 50));
    expect(t.ws.write(() => takeLease(db, 'h', 'planted', 0, 9e15))).toBe(true);
    expect(t.ws.write(() => takeLease(db, 'h', 'me', 1000, 2000, 1000 + 125_000))).toBe(true);
    t.ws.write(() => {
      resetCursor(db, 'h', 7);
      db.prepare('UPDATE hook_state SET retry_at = 9e15 WHERE name = ?').run('h');
      clampRetry(db, 'h', 5000);
    });
    expect(hookState(db, 'h')).toMatchObject({ lease_owner: 'me', cursor: 7, retry_at: 5000 });
    t.ws.write(() => resetCursor(db, 'h', 9)); // never forward
    expect(hookState(db, 'h')!.cursor).toBe(7);
  });
});
