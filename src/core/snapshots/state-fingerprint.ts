// The fingerprint of what a restore would replace: the scope's rows and document texts as they are now.
// A person who previews a restore and then confirms it agrees to lose what the preview named; if the
// work changed in between (an assistant kept working, a second click ran a restore already), the
// restore would throw away something they never saw. The face that showed the preview passes its
// fingerprint along (Call.previewed), and a restore finding another state is refused.
import { nodeCrypto } from '../../node-crypto.js';
import type { SnapshotState } from '../../store/snapshot-state.js';
import { FlowError } from '../../model/errors.js';
import { captureState, stateHash } from './capture.js';
import { findSnapshot, scopeOfRow } from './catalog.js';
import type { Call } from '../kernel/workspace.js';

/** The fingerprint of restoring snapshot `id` over the state it would replace now (the snapshot's id is in it: a preview of one snapshot confirms no other). */
export function restoreTargetFingerprint(call: Call, id: string): string {
  const row = findSnapshot(call, id);
  return fingerprint(row.id, captureState(call, scopeOfRow(row), { storeBlobs: false }));
}

const fingerprint = (snapshot: string, now: SnapshotState) => nodeCrypto().createHash('sha256').update(`${snapshot}\n${stateHash(now)}`).digest('hex');

/** Refuses a restore whose scope is no longer in the state the person previewed (see the header). */
export function checkPreviewed(previewed: string, snapshot: string, now: SnapshotState, what: string): void {
  if (fingerprint(snapshot, now) === previewed) return;
  throw new FlowError(
    'conflict',
    `Not restored: ${what} changed since the preview was shown (someone kept working, or a restore already ran), or the preview was of another snapshot, so the restore would throw away work the preview did not name. Nothing was changed.`,
    'Look at the preview again: it shows what a restore would do now; then restore.',
  );
}
