// The fingerprint of what a restore would replace: the scope's rows and document texts as they are now.
// A person who previews a restore and then confirms it agrees to lose what the preview named; if the
// work changed in between (an assistant kept working, a second click ran a restore already), the
// restore would throw away something they never saw. The face that showed the preview passes its
// fingerprint along (Call.previewed), and a restore finding another state is refused.
import type { SnapshotState } from '../../store/snapshot-state.js';
import { FlowError } from '../../model/errors.js';
import { captureState, stateHash } from './capture.js';
import { findSnapshot, scopeOfRow } from './catalog.js';
import type { Call } from '../kernel/workspace.js';

/** The fingerprint of the state that restoring snapshot `id` would replace, now. */
export function restoreTargetFingerprint(call: Call, id: string): string {
  const row = findSnapshot(call, id);
  return stateHash(captureState(call, scopeOfRow(row), { storeBlobs: false }));
}

/** Refuses a restore whose scope is no longer in the state the person previewed (see the header). */
export function checkPreviewed(previewed: string, now: SnapshotState, what: string): void {
  if (stateHash(now) === previewed) return;
  throw new FlowError(
    'conflict',
    `Not restored: ${what} changed since the preview was shown (someone kept working, or a restore already ran), so the restore would throw away work the preview did not name. Nothing was changed.`,
    'Look at the preview again: it shows what a restore would do now; then restore.',
  );
}
