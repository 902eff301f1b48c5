// The mark `flowmcp recover` leaves while it rebuilds: a recover killed part-way leaves it, and every
// process that opens the project then refuses, says what happened (when, which process, where the old
// database is) and what to do; recover run again finishes the job. While a recover holds the project,
// an open says to wait.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { markerPath, recoverRunning, writeMarker } from '../../../src/core/transfer/recover-marker.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { holdExclusive, release } from '../../../src/store/open-lock.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { tempDirPerTest } from '../../helpers/workspace.js';
import { shopProject } from '../../helpers/recover.js';

const scratch = tempDirPerTest();

/** A project with one flow, plan and task, snapshotted, then closed. */
function project(): string {
  const dir = scratch();
  shopProject(dir, { label: 'early' });
  return dir;
}

function taskTitles(dir: string): string[] {
  const ws = Workspace.open(dir);
  try {
    return ws.db.prepare('SELECT title FROM tasks ORDER BY title').pluck().all() as string[];
  } finally {
    ws.close();
  }
}

describe('a recover that was interrupted', () => {
  it('makes the next open refuse, saying when, by whom, where the old database is and what to do; recover again finishes', () => {
    const dir = project();
    const flowDir = join(dir, '.flow');
    const aside = join(flowDir, 'flow.db.damaged-2026-01-01T00-00-00-000Z');
    const oldBytes = readFileSync(join(flowDir, 'flow.db'));
    // Where a recover killed right after setting the old database aside leaves the project.
    writeMarker(flowDir, aside);
    renameSync(join(flowDir, 'flow.db'), aside);

    const mark = JSON.parse(readFileSync(markerPath(flowDir), 'utf8'));
    expect(mark).toMatchObject({ pid: process.pid, host: hostname(), kept_aside: aside });
    expect(Date.parse(mark.started_at)).not.toBeNaN();

    const e = caught<FlowError>(() => Workspace.open(dir));
    expect(e.code).toBe('storage');
    expect(e.message).toBe(
      `A recover was interrupted (started ${mark.started_at} by process ${process.pid} on ${hostname()}): ${join(flowDir, 'flow.db')} may be only partly rebuilt, so this project is not opened. The database it replaced is kept, untouched, as ${aside}. Nothing was changed.`,
    );
    expect(e.hint).toBe('Run flowmcp recover again: it finishes the rebuild from .flow/snapshots and .flow/documents (keeping the partial database aside too, never deleting it).');
    expect(e.details).toEqual({ marker: markerPath(flowDir) });
    expect(existsSync(join(flowDir, 'flow.db'))).toBe(false); // the refusal made no new database

    const report = recover(dir); // no --force: the mark says the rebuild is unfinished
    // The old database is the one the first recover set aside: found by its name, its log comes across.
    expect(report.kept_aside).toEqual([aside]);
    const oldEvents = (() => {
      const old = new Database(aside, { readonly: true });
      try {
        return (old.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      } finally {
        old.close();
      }
    })();
    expect(oldEvents).toBeGreaterThan(0);
    expect(report.events_kept).toBe(oldEvents);
    expect(report.note).toBeUndefined();
    expect(existsSync(markerPath(flowDir))).toBe(false);
    expect(taskTitles(dir)).toEqual(['Cart']);
    expect(readFileSync(aside).equals(oldBytes)).toBe(true);
  });

  it('a mark that is not one recover wrote still refuses the open, without quoting it', () => {
    const dir = project();
    const flowDir = join(dir, '.flow');
    writeFileSync(markerPath(flowDir), '{"pid": "not a number", "host": "evil');
    const e = caught<FlowError>(() => Workspace.open(dir));
    expect(e.message).toBe(`A recover was interrupted: ${join(flowDir, 'flow.db')} may be only partly rebuilt, so this project is not opened. Nothing was changed.`);
  });

  it('recover finishes a rebuild that was interrupted after the new database was made, without taking it for the project\'s own', () => {
    const dir = project();
    const flowDir = join(dir, '.flow');
    // Killed after the new database was made and partly filled: it opens and passes its check.
    writeMarker(flowDir, join(flowDir, 'flow.db.damaged-2026-01-01T00-00-00-000Z'));
    for (const force of [false, true]) {
      const report = recover(dir, { force });
      // Not "nothing was changed", and no snapshot of the half-built database as if it held everything.
      expect(report.note).toBeUndefined();
      expect(report.kept_aside).toHaveLength(1);
      expect(existsSync(report.kept_aside[0]!)).toBe(true);
      expect(existsSync(markerPath(flowDir))).toBe(false);
      const ws = Workspace.open(dir);
      const reasons = (caller({ ws, session: ws.session('a') }).ok('snapshot', { action: 'list' }).snapshots as { reason: string }[]).map((s) => s.reason);
      ws.close();
      expect(reasons).not.toContain('before recover --force');
      writeMarker(flowDir, report.kept_aside[0]!); // interrupted again, for the --force round
    }
  });
});

describe('while a recover holds the project', () => {
  it('an open says recover is rebuilding and to wait, naming the process once its mark is there', () => {
    const dir = project();
    const flowDir = join(dir, '.flow');
    const lock = holdExclusive(flowDir);
    expect(lock).toBeDefined();
    try {
      // Before the mark is written (recover is still checking the database).
      expect(recoverRunning(flowDir)).toMatchObject({
        code: 'storage',
        message: "flowmcp recover is rebuilding this project's database, so it cannot be opened now. Nothing was changed.",
        hint: 'Wait for recover to finish, then start again.',
      });
      writeMarker(flowDir, join(flowDir, 'flow.db.damaged-x'));
      const started = JSON.parse(readFileSync(markerPath(flowDir), 'utf8')).started_at as string;
      const e = caught<FlowError>(() => Workspace.open(dir)); // waits for the lock (2 s), then refuses
      expect(e.message).toBe(`flowmcp recover is rebuilding this project's database (process ${process.pid}, started ${started}), so it cannot be opened now. Nothing was changed.`);
      expect(e.hint).toBe('Wait for recover to finish, then start again.');
    } finally {
      release(lock);
    }
  });
});
