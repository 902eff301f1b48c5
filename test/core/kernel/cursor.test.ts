// Page cursors come back from callers, so anything may come back: whatever a list did not issue is
// refused with what to do, never a crash.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/core/kernel/cursor.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';

const isNumber = (v: unknown): v is number => typeof v === 'number';

describe('page cursors', () => {
  it('a cursor a list issued gives its key back', () => {
    expect(decodeCursor('task', encodeCursor('task', 42), isNumber)).toBe(42);
  });

  it('not base64 JSON, JSON null, another list, or another key: refused with what to do', () => {
    const forged = [
      '%%% not a cursor',
      Buffer.from('null').toString('base64url'),
      Buffer.from('"text"').toString('base64url'),
      encodeCursor('plan', 42),
      encodeCursor('task', 'x'),
    ];
    for (const cursor of forged) {
      const e = caught<FlowError>(() => decodeCursor('task', cursor, isNumber));
      expect({ code: e.code, message: e.message, hint: e.hint }, cursor).toEqual({
        code: 'invalid_input',
        message: 'cursor is not one this task list issued.',
        hint: 'Pass the next_cursor from the previous task list result unchanged, or leave cursor out to start from the first page.',
      });
    }
  });
});
