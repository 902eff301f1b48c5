// Storage faults named where they happen: an error from SQLite or the file system that a person can do
// something about (wait, free space, fix permissions, recover) becomes a FlowError with that code and
// what to do, at the store/ call that met it. Anything else is passed on unchanged: it is not a storage
// fault, and dressing it up as one would send people to fix the wrong thing.
import { dirname, sep } from 'node:path';
import { FlowError, isFlowError } from './errors.js';

export type StorageFault = 'busy' | 'disk_full' | 'read_only' | 'damaged' | 'io';

function codeOf(e: unknown): string {
  return String((e as { code?: unknown } | undefined)?.code ?? '');
}

/** Which storage fault an error from SQLite or the file system is, if it is one. */
export function faultOf(e: unknown): StorageFault | undefined {
  // Stryker disable next-line ConditionalExpression: no ErrorCode matches a SQLite or errno code below, so a FlowError is named no fault either way; this says so and keeps it so
  if (isFlowError(e)) return undefined;
  const code = codeOf(e);
  if (/^SQLITE_(BUSY|LOCKED)(_|$)/.test(code)) return 'busy';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'read_only';
  if (/^SQLITE_(CORRUPT|NOTADB)(_|$)/.test(code)) return 'damaged';
  if (/^SQLITE_IOERR(_|$)/.test(code) || code === 'EIO') return 'io';
  return undefined;
}

const NOTHING = 'Nothing was changed.';

/**
 * The FlowError for a storage fault met while working on `.flow/` (`where` names the place, e.g.
 * ".flow/" or ".flow/flow.db"); undefined if `e` is no storage fault. `busyMs` is how long the write
 * lock was waited for, when known; `fault` says which fault it is where the caller knows better than
 * the error's code (e.g. SQLITE_CANTOPEN while opening: no permission to create the WAL files).
 */
export function storageError(e: unknown, opts: { where?: string; busyMs?: number; fault?: StorageFault } = {}): FlowError | undefined {
  const fault = opts.fault ?? faultOf(e);
  // Stryker disable next-line ConditionalExpression: with no fault the switch below matches no case and returns undefined too
  if (!fault) return undefined;
  const code = codeOf(e);
  const where = opts.where ?? '.flow/';
  const details = { fault: code };
  switch (fault) {
    case 'busy':
      return new FlowError(
        'busy',
        `The project database is busy: another process held its write lock${opts.busyMs ? ` for more than ${Math.round(opts.busyMs / 100) / 10} s` : ''} (${code}). ${NOTHING}`,
        'Retry in a moment. If it stays busy, another flowmcp process (an assistant window, a CLI command, flowmcp recover) may be stuck mid-write: stop it and retry.',
        details,
      );
    case 'disk_full':
      return new FlowError('disk_full', `The disk holding ${where} is full (${code}). ${NOTHING}`, 'Free some space (snapshot prune removes old snapshots), then retry.', details);
    case 'read_only':
      return new FlowError(
        'read_only',
        `${where} cannot be written by this process (${code}). ${NOTHING}`,
        `Make ${where} writable by the user running flowmcp (or remount the disk read-write), then retry; reading works meanwhile.`,
        details,
      );
    case 'damaged':
      return new FlowError(
        'damaged',
        `${where === '.flow/' ? '.flow/flow.db' : where} is damaged (${code}). ${NOTHING}`,
        'Run flowmcp recover: it keeps the damaged file aside and rebuilds the database from .flow/snapshots and .flow/documents.',
        details,
      );
    case 'io':
      return new FlowError(
        'storage',
        `${where} could not be read or written: the disk or file system reported an I/O error (${code}). ${NOTHING}`,
        'Check the disk and the file system holding the project (is it still mounted? does the system log show disk errors?), then retry; if flow.db turns out damaged, flowmcp recover rebuilds it.',
        details,
      );
  }
}

/** Runs fn; a storage fault it meets is thrown as its FlowError, anything else as it was. */
export function mapFaults<T>(fn: () => T, opts: { where?: string; busyMs?: number } = {}): T {
  try {
    return fn();
  } catch (e) {
    throw storageError(e, opts) ?? e;
  }
}

/** How a fault writing `path` names its place: ".flow/" for anything flowmcp keeps there, else the folder. */
export function placeOf(path: string, opts: { isDir?: boolean } = {}): string {
  if (`${path}${sep}`.includes(`${sep}.flow${sep}`)) return '.flow/';
  return `${opts.isDir ? path : dirname(path)}/`;
}
