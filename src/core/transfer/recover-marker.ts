// The mark `flowmcp recover` leaves while it rebuilds: written before it moves the old database aside,
// removed only when the rebuild is done. If recover is killed part-way the mark stays, and the next
// process to open the project says so (and what to do) instead of working on a half-built database.
// The file sits in .flow/ and may come from anywhere: it is parsed, and only ever shown, never obeyed.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { z } from 'zod';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { readFileBounded } from '../../store/bounded-file.js';
import { FlowError } from '../../model/errors.js';

export const markerPath = (flowDir: string) => join(flowDir, 'recover-in-progress.json');

const Marker = z.object({
  pid: z.number().int(),
  host: z.string().max(1000),
  started_at: z.string().max(100),
  /** Where the database recover replaced was kept (flow.db.damaged-<time>). */
  kept_aside: z.string().max(4096),
});
export type RecoverMarker = z.infer<typeof Marker>;

export function writeMarker(flowDir: string, keptAside: string): void {
  writeFileAtomic(markerPath(flowDir), JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString(), kept_aside: keptAside } satisfies RecoverMarker));
}

export function removeMarker(flowDir: string): void {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: recover wrote the mark itself, holding the project alone, before it rebuilt: it is there to remove
  rmSync(markerPath(flowDir), { force: true });
}

export const hasMarker = (flowDir: string): boolean => existsSync(markerPath(flowDir));

function readMarker(flowDir: string): RecoverMarker | undefined {
  try {
    const r = readFileBounded(markerPath(flowDir), 64 * 1024);
    if (!r.ok) return undefined;
    const p = Marker.safeParse(JSON.parse(r.bytes.toString('utf8')));
    return p.success ? p.data : undefined;
    // Stryker disable next-line BlockStatement: an empty catch falls off the end and answers undefined too
  } catch {
    return undefined;
  }
}

/** The refusal an open gives while the mark is there and no recover holds the project. */
export function interruptedRecover(flowDir: string): FlowError {
  const m = readMarker(flowDir);
  const when = m ? ` (started ${m.started_at} by process ${m.pid} on ${m.host})` : '';
  const aside = m?.kept_aside ? ` The database it replaced is kept, untouched, as ${m.kept_aside}.` : '';
  return new FlowError(
    'storage',
    `A recover was interrupted${when}: ${join(flowDir, 'flow.db')} may be only partly rebuilt, so this project is not opened.${aside} Nothing was changed.`,
    'Run flowmcp recover again: it finishes the rebuild from .flow/snapshots and .flow/documents (keeping the partial database aside too, never deleting it).',
    { marker: markerPath(flowDir) },
  );
}

export function recoverRunning(flowDir: string): FlowError {
  const m = readMarker(flowDir);
  return new FlowError(
    'storage',
    `flowmcp recover is rebuilding this project's database${m ? ` (process ${m.pid}, started ${m.started_at})` : ''}, so it cannot be opened now. Nothing was changed.`,
    'Wait for recover to finish, then start again.',
  );
}
