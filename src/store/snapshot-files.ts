// Snapshot payloads and document blobs under .flow/snapshots/: gzip JSON written atomically, blobs
// content-addressed (an unchanged document is stored once across all snapshots). Payloads carry their
// own header, so `flowmcp recover` can rebuild a lost catalog from the files alone.
// Names and hashes reach here from flow.db and from payloads, both of which a cloned repository may
// have written: every one is checked against the exact shape flowmcp writes before it becomes a path,
// and every gzip is inflated with a bound, so a hostile .flow/ can neither reach outside .flow/snapshots/
// nor exhaust memory.
import { parseJsonBounded } from '../json-depth.js';
import { nodeCrypto } from '../node-crypto.js';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { log } from '../log.js';
import { writeFileAtomic } from './atomic-file.js';
import { FlowError } from '../model/errors.js';
import { readFileBounded } from './bounded-file.js';
import { faultOf, storageError } from '../model/storage-faults.js';
import type { SnapshotState } from './snapshot-state.js';
import type { PatchOp } from './json-patch.js';

export const PAYLOAD_FORMAT = 'flowmcp-snapshot';
export const PAYLOAD_VERSION = 1;

export interface PayloadHeader {
  format: typeof PAYLOAD_FORMAT;
  version: typeof PAYLOAD_VERSION;
  id: string;
  label: string;
  scope: 'flow' | 'workspace';
  flow_id: string | null;
  reason: string;
  pinned: boolean;
  created_at: string;
  kind: 'full' | 'patch';
  base_id: string | null;
  depth: number;
  state_hash: string;
  counts: Record<string, number>;
  blobs: string[];
  /** Where the change log stood when the state was read (store/state-changes.ts ChangeMark); checked where it is used. */
  mark?: unknown;
}

export interface Payload extends PayloadHeader {
  state?: SnapshotState;
  patch?: PatchOp[];
}

export const snapshotsDir = (flowDir: string) => join(flowDir, 'snapshots');
const blobsDir = (flowDir: string) => join(snapshotsDir(flowDir), 'blobs');
export const payloadName = (id: string, kind: 'full' | 'patch') => `${id}.${kind}.json.gz`;

/** The only payload file names flowmcp writes: a snapshot id, its kind, `.json.gz`. */
const PAYLOAD_NAME = /^s-[0-9a-z]{1,40}\.(?:full|patch)\.json\.gz$/;
const BLOB_HASH = /^[0-9a-f]{64}$/;
const SNAPSHOT_ID = /^s-[0-9a-z]{1,40}$/;
/** A payload inflates to at most this (a 1M-task workspace is ~300 MB of JSON); a blob to a document's limit and then some. */
const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;
const MAX_BLOB_BYTES = 64 * 1024 * 1024;

/** A name in flow.db or a payload that flowmcp never writes: what a hostile or damaged .flow/ looks like. */
const RECOVER_HINT =
  'Restore from another snapshot (snapshot list), or run flowmcp recover: it rebuilds the snapshot catalog from the payload files that still read.';

function untrusted(what: string): FlowError {
  return new FlowError(
    'damaged',
    `A name under .flow/snapshots/ is not one flowmcp wrote: ${what}. Nothing was changed.`,
    'Run `flowmcp recover` to rebuild the snapshot catalog from the payload files, or delete the stray entry.',
    { fault: 'untrusted_name' },
  );
}

/** A snapshot file that does not read back as flowmcp wrote it. */
function damaged(what: string, why: string, fault: string): FlowError {
  return new FlowError('damaged', `${what} ${why}. Nothing was changed.`, RECOVER_HINT, { fault });
}

function payloadPath(flowDir: string, file: string): string {
  if (!PAYLOAD_NAME.test(file)) throw untrusted(`snapshot payload name ${JSON.stringify(file.slice(0, 80))} is not one flowmcp writes; it was not touched`);
  return join(snapshotsDir(flowDir), file);
}

function blobPath(flowDir: string, hash: string): string {
  if (!BLOB_HASH.test(hash)) throw untrusted(`document blob name ${JSON.stringify(hash.slice(0, 80))} is not a content hash; it was not touched`);
  return join(blobsDir(flowDir), `${hash}.gz`);
}

/**
 * The inflated bytes of a payload or blob. Every way such a file can be wrong (missing, a FIFO or folder
 * where a file should be, not gzip, inflating past its bound) is one clear `damaged` refusal instead of
 * an internal error, and a FIFO never hangs the read.
 */
function readGzip(path: string, max: number, what: string): Buffer {
  let r;
  try {
    r = readFileBounded(path, max);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw damaged(what, 'is missing from .flow/snapshots/', 'missing');
    if (faultOf(e) === 'io') throw storageError(e, { where: what })!;
    throw damaged(what, `could not be read (${String((e as NodeJS.ErrnoException).code ?? 'unknown')})`, 'unreadable');
  }
  if (!r.ok) throw damaged(what, r.reason === 'not_a_file' ? 'is not a regular file; it was not read' : `is larger than ${max} bytes; it was not read`, r.reason);
  try {
    return gunzipSync(r.bytes, { maxOutputLength: max });
  } catch (e) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: Node throws a RangeError with code ERR_BUFFER_TOO_LARGE past maxOutputLength, so either test alone decides; both cases are tested
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw damaged(what, `inflates to more than ${max} bytes; it is not one flowmcp wrote`, 'too_large');
    }
    throw damaged(what, 'is not gzip as flowmcp writes it (truncated or overwritten?)', 'not_gzip');
  }
}

/**
 * Writes a payload; `body`, when given, is the JSON of its state (full) or patch, already serialized.
 * gzip level 1: at 10k tasks it compresses 3 MB in ~7 ms against ~22 ms at level 6, for a file ~1.3× bigger.
 */
export function writePayload(flowDir: string, p: Payload, body?: string): { file: string; bytes: number } {
  const name = payloadName(p.id, p.kind);
  const json = body === undefined ? JSON.stringify(p) : `${JSON.stringify(p).slice(0, -1)},"${p.kind === 'full' ? 'state' : 'patch'}":${body}}`;
  const data = gzipSync(Buffer.from(json, 'utf8'), { level: 1 });
  writeFileAtomic(join(snapshotsDir(flowDir), name), data);
  return { file: name, bytes: data.length };
}

export function readPayload(flowDir: string, file: string): Payload {
  const what = `Snapshot payload .flow/snapshots/${file}`;
  const text = readGzip(payloadPath(flowDir, file), MAX_PAYLOAD_BYTES, what).toString('utf8');
  let p: Payload;
  try {
    p = parseJsonBounded(text) as Payload;
  } catch {
    throw damaged(what, 'is not JSON as flowmcp writes it (truncated or overwritten?)', 'not_json');
  }
  if (typeof p !== 'object' || p === null || p.format !== PAYLOAD_FORMAT || p.version !== PAYLOAD_VERSION) {
    throw damaged(what, 'is not a flowmcp snapshot payload this version reads', 'not_a_payload');
  }
  // The header fields the catalog and a restore act on (a payload is untrusted: a cloned .flow/ may hold it).
  if (
    typeof p.id !== 'string' || !SNAPSHOT_ID.test(p.id) || (p.scope !== 'flow' && p.scope !== 'workspace') || (p.kind !== 'full' && p.kind !== 'patch') ||
    typeof p.created_at !== 'string' || (p.scope === 'flow' ? typeof p.flow_id !== 'string' : p.flow_id != null) ||
    (p.base_id != null && typeof p.base_id !== 'string') || !Number.isInteger(p.depth)
  ) {
    throw damaged(what, 'has a header flowmcp does not write (id, scope, kind, flow, base or time)', 'not_a_payload');
  }
  if (!Array.isArray(p.blobs) || !p.blobs.every((h) => typeof h === 'string' && BLOB_HASH.test(h))) {
    throw damaged(what, 'names document blobs that are not content hashes', 'untrusted_name');
  }
  if (p.kind === 'full' ? typeof p.state !== 'object' || p.state === null : !Array.isArray(p.patch)) {
    throw damaged(what, `has no ${p.kind === 'full' ? 'state' : 'patch'}`, 'no_state');
  }
  return p;
}

/** Removes the file a name stands for; a name flowmcp does not write is left alone (and said on stderr), never followed. */
function removeNamed(toPath: () => string): void {
  let path: string;
  try {
    path = toPath();
  } catch (e) {
    return void log.warn((e as Error).message);
  }
  verified.delete(path);
  rmSync(path, { force: true });
}

export function removePayload(flowDir: string, file: string): void {
  removeNamed(() => payloadPath(flowDir, file));
}

/** Every payload file on disk (for recovery and for collecting files no catalog entry names). */
export function payloadFiles(flowDir: string): string[] {
  const dir = snapshotsDir(flowDir);
  return existsSync(dir) ? readdirSync(dir).filter((f) => PAYLOAD_NAME.test(f)) : [];
}

export const blobHash = (text: string) => nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex');

/** Stores a text once under its hash; returns the hash. */
export function putBlob(flowDir: string, text: string): string {
  const h = blobHash(text);
  const file = blobPath(flowDir, h);
  if (!sound(flowDir, h, file)) {
    mkdirSync(blobsDir(flowDir), { recursive: true });
    writeFileAtomic(file, gzipSync(Buffer.from(text, 'utf8')));
  }
  return h;
}

/**
 * Blob files this process has read back whole and found right. A blob already on disk is reused only
 * once it reads back as its hash says: a cloned repository can ship a damaged file under the hash of a
 * text it knows the user will snapshot (a README, its own documents), and reusing it unread would make
 * that snapshot impossible to restore. Checked once per process, so a snapshot of unchanged documents
 * stays cheap.
 */
const verified = new Set<string>();

function sound(flowDir: string, hash: string, file: string): boolean {
  if (!existsSync(file)) return false; // first: another process's prune may have removed it since
  // Stryker disable next-line ConditionalExpression: without the cache the blob is read back again and found right again: the same answer, only slower
  if (verified.has(file)) return true;
  try {
    readBlob(flowDir, hash);
  } catch (e) {
    if (!(e instanceof FlowError) || e.code !== 'damaged') throw e;
    log.warn(`${e.message}; it is written again from the document's text`);
    return false;
  }
  verified.add(file);
  return true;
}

export function readBlob(flowDir: string, hash: string): string {
  const what = `Document blob .flow/snapshots/blobs/${hash}.gz`;
  const text = readGzip(blobPath(flowDir, hash), MAX_BLOB_BYTES, what).toString('utf8');
  if (blobHash(text) !== hash) throw damaged(what, 'is damaged: its text no longer matches its hash', 'hash_mismatch');
  return text;
}

export function blobHashes(flowDir: string): string[] {
  const dir = blobsDir(flowDir);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.gz')).map((f) => f.slice(0, -3)).filter((h) => BLOB_HASH.test(h)) : [];
}

export function removeBlob(flowDir: string, hash: string): void {
  removeNamed(() => blobPath(flowDir, hash));
}
