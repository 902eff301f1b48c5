// What in .flow/ besides flow.db shows a project was used here: snapshot payloads, flow documents,
// context files. When flow.db is gone and any of these remain, the database was lost, not never made:
// opening must not make a fresh empty one over the work `flowmcp recover` can rebuild from them.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { payloadFiles } from './snapshot-files.js';

/** Folders looked into before giving up on finding a document: bounds the walk in a huge tree. */
const MAX_FOLDERS = 2000;

/** What .flow/ holds that only a used project has, in words ("snapshots in .flow/snapshots"), or undefined. */
export function recordsOfAProject(flowDir: string): string | undefined {
  const payloads = payloadFiles(flowDir).length;
  if (payloads) return `${payloads} snapshot${payloads === 1 ? '' : 's'} in .flow/snapshots`;
  if (holdsAFile(join(flowDir, 'documents'))) return 'documents in .flow/documents';
  if (entries(join(flowDir, 'context')).some((e) => e.isFile() && e.name.endsWith('.json'))) return 'context files in .flow/context';
  return undefined;
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // missing or unreadable: nothing found there
  }
}

/** Whether a regular file lies anywhere under dir (symbolic links are not followed). */
function holdsAFile(dir: string): boolean {
  const todo = [dir];
  for (let seen = 0; todo.length && seen < MAX_FOLDERS; seen++) {
    const here = todo.pop()!;
    for (const e of entries(here)) {
      if (e.isFile()) return true;
      if (e.isDirectory()) todo.push(join(here, e.name));
    }
  }
  return false;
}

/** Whether flow.db itself is there (any kind of entry: what it is, the .flow/ shape check says). */
export function databaseFilePresent(flowDir: string): boolean {
  return lstatSync(join(flowDir, 'flow.db'), { throwIfNoEntry: false }) !== undefined;
}
