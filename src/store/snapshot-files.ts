// Snapshot payloads and document blobs under .flow/snapshots/: gzip JSON written atomically, blobs
// content-addressed (an unchanged document is stored once across all snapshots). Payloads carry their
// own header, so `flowmcp recover` can rebuild a lost catalog from the files alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-file.js';
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
}

export interface Payload extends PayloadHeader {
  state?: SnapshotState;
  patch?: PatchOp[];
}

export const snapshotsDir = (flowDir: string) => join(flowDir, 'snapshots');
const blobsDir = (flowDir: string) => join(snapshotsDir(flowDir), 'blobs');
export const payloadName = (id: string, kind: 'full' | 'patch') => `${id}.${kind}.json.gz`;

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
  const p = JSON.parse(gunzipSync(readFileSync(join(snapshotsDir(flowDir), file))).toString('utf8')) as Payload;
  if (p.format !== PAYLOAD_FORMAT || p.version !== PAYLOAD_VERSION) throw new Error(`${file} is not a flowmcp snapshot payload this version reads`);
  return p;
}

export function removePayload(flowDir: string, file: string): void {
  rmSync(join(snapshotsDir(flowDir), file), { force: true });
}

/** Every payload file on disk (for recovery and for collecting files no catalog entry names). */
export function payloadFiles(flowDir: string): string[] {
  const dir = snapshotsDir(flowDir);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json.gz')) : [];
}

export const blobHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Stores a text once under its hash; returns the hash. */
export function putBlob(flowDir: string, text: string): string {
  const h = blobHash(text);
  const file = join(blobsDir(flowDir), `${h}.gz`);
  if (!existsSync(file)) {
    mkdirSync(blobsDir(flowDir), { recursive: true });
    writeFileAtomic(file, gzipSync(Buffer.from(text, 'utf8')));
  }
  return h;
}

export function readBlob(flowDir: string, hash: string): string {
  const text = gunzipSync(readFileSync(join(blobsDir(flowDir), `${hash}.gz`))).toString('utf8');
  if (blobHash(text) !== hash) throw new Error(`document blob ${hash} is damaged`);
  return text;
}

export function blobHashes(flowDir: string): string[] {
  const dir = blobsDir(flowDir);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.gz')).map((f) => f.slice(0, -3)) : [];
}

export function removeBlob(flowDir: string, hash: string): void {
  rmSync(join(blobsDir(flowDir), `${hash}.gz`), { force: true });
}
