// Optimistic concurrency: a mutation that names the revision it read is refused if the row moved on,
// and the refusal carries the row as it is now, so the caller can merge and retry.
import { FlowError } from '../../model/errors.js';

/** current is built only when there is a conflict to report; reread names the action that reads the row. */
export function checkRevision(kind: string, id: string, actual: number, expected: number | undefined, current: () => unknown, reread = `${kind} get`): void {
  if (expected === undefined || expected === actual) return;
  throw new FlowError(
    'conflict',
    // A revision it never had was not read from it: a mistyped or made-up number, not someone else's change.
    expected > actual
      ? `Conflict: ${kind} ${id} is at revision ${actual}; it has never been at revision ${expected}, so that number was not read from it. Nothing was changed.`
      : `Conflict: ${kind} ${id} is at revision ${actual}, not ${expected}; someone else changed it since you read it. Nothing was changed.`,
    `Re-read it (${reread}), reapply your change to the current values, and retry with expected_revision ${actual}.`,
    { current: current() },
  );
}

export function requireConfirm(confirm: boolean | undefined, what: string, undo: string): void {
  if (confirm === true) return;
  throw new FlowError(
    'confirm_required',
    `Deleting ${what} needs confirm: true${undo}. Nothing was deleted.`,
    'Call again with confirm: true if that is really what you want.',
  );
}
