// What in .flow/ besides flow.db shows a project's database was lost rather than never made: its
// snapshot payloads, which only a database writes. Opening must then not make a fresh empty one over
// the work `flowmcp recover` can rebuild from them. Flow documents and context files do not count:
// they are plain files a teammate copies or a clone brings (the README says to copy .flow/documents/),
// and a project that has them but no database yet is new here: it is made, and they are indexed.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { payloadFiles } from '../../store/snapshot-files.js';

/** What .flow/ holds that only a project whose database existed has, in words ("2 snapshots in .flow/snapshots"), or undefined. */
export function recordsOfAProject(flowDir: string): string | undefined {
  const payloads = payloadFiles(flowDir).length;
  return payloads ? `${payloads} snapshot${payloads === 1 ? '' : 's'} in .flow/snapshots` : undefined;
}

/** Whether flow.db itself is there (any kind of entry: what it is, the .flow/ shape check says). */
export function databaseFilePresent(flowDir: string): boolean {
  return lstatSync(join(flowDir, 'flow.db'), { throwIfNoEntry: false }) !== undefined;
}
