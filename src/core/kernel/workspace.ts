// One Workspace per project directory: the open database, the clock, and the write-transaction
// boundary every mutation goes through. Every face (MCP, CLI, later /flow commands) uses this.
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { isReadOnlyError, openDatabase, openReadOnlyCopy, writeTx, type Db } from '../../store/db.js';
import { log } from '../../log.js';
import { systemClock, type Clock } from './clock.js';
import { Session } from './session.js';
import { existsSync } from 'node:fs';
import { finishPendingRestore, journalPath } from '../snapshots/restore-journal.js';
import { holdOpen, release, type LockDb } from '../../store/open-lock.js';
import { checkFlowFolder } from './flow-folder.js';
import { hasMarker, interruptedRecover, recoverRunning } from '../transfer/recover-marker.js';
import { databaseFilePresent, recordsOfAProject } from './flow-records.js';

export interface WorkspaceOptions {
  clock?: Clock;
  busyTimeoutMs?: number;
  /** Only for `flowmcp recover`, which holds the project exclusively itself. */
  recovering?: boolean;
}

export class Workspace {
  readonly root: string;
  readonly flowDir: string;
  readonly db: Db;
  readonly clock: Clock;
  /** .flow/ could not be written when the project was opened: reads only, from flow.db as it was then. */
  readonly readOnly: boolean;

  /**
   * Events this process has recorded (kernel/events.ts record). The post-hook worker is nudged only
   * when it moved: a read records none, and a nudge costs the worker a look at the hook config.
   */
  eventsRecorded = 0;

  /** Run before the database closes (the hook worker lets go of its leases). */
  private closers: (() => void)[] = [];

  /** The SHARED lock on .flow/open.lock that says this process has the project open (see store/open-lock.ts). */
  private lock: LockDb | undefined;

  // Stryker disable next-line BooleanLiteral: every caller passes readOnly, so the default is never used
  private constructor(root: string, db: Db, clock: Clock, readOnly = false, lock?: LockDb) {
    this.lock = lock;
    this.root = root;
    this.flowDir = join(root, '.flow');
    this.db = db;
    this.clock = clock;
    this.readOnly = readOnly;
  }

  /** Opens (creating if needed) `<root>/.flow/flow.db` and brings its schema up to date. */
  static open(root: string, opts: WorkspaceOptions = {}): Workspace {
    const abs = resolve(root);
    checkProjectDir(abs);
    checkFlowFolder(abs);
    const flowDir = join(abs, '.flow');
    // Held for as long as the project is open: `flowmcp recover` refuses while anyone holds it, and
    // nobody gets in while recover holds it, so no acknowledged write can land in a database recover
    // is setting aside.
    let lock: LockDb | undefined;
    if (!opts.recovering) {
      let held: LockDb | 'recovering' | undefined;
      try {
        held = holdOpen(flowDir);
      } catch (e) {
        if (!isReadOnlyError(e)) throw e;
        held = undefined; // .flow/ is read-only here: nothing can be written, so nothing needs holding
      }
      if (held === 'recovering') throw recoverRunning(flowDir);
      lock = held;
      if (hasMarker(flowDir)) {
        release(lock);
        throw interruptedRecover(flowDir);
      }
      // Looked at holding the lock, so a recover cannot be between setting the old file aside and making the new one.
      const records = databaseFilePresent(flowDir) ? undefined : recordsOfAProject(flowDir);
      if (records) {
        release(lock);
        throw lostDatabase(flowDir, records);
      }
    }
    try {
      return Workspace.openDb(abs, flowDir, opts, lock);
    } catch (e) {
      release(lock);
      throw e;
    }
  }

  private static openDb(abs: string, flowDir: string, opts: WorkspaceOptions, lock: LockDb | undefined): Workspace {
    let db: Db;
    try {
      db = openDatabase(join(flowDir, 'flow.db'), { busyTimeoutMs: opts.busyTimeoutMs });
    } catch (e) {
      // openDatabase names every fault (damaged, schema too new, busy…); read-only still lets us read.
      const copy = isReadOnlyError(e) ? openReadOnlyCopy(join(flowDir, 'flow.db')) : undefined;
      if (copy) {
        log.warn(`${flowDir} is read-only for this process (${String((e as FlowError).details?.fault)}): answering reads from flow.db as it is now; changes are refused`);
        return new Workspace(abs, copy, opts.clock ?? systemClock, true, lock);
      }
      throw e;
    }
    // Under the write lock, so a restore running in another process is never caught half-way.
    if (existsSync(journalPath(flowDir))) {
      try {
        writeTx(db, () => finishPendingRestore(flowDir, db));
      } catch (e) {
        db.close();
        throw e;
      }
    }
    return new Workspace(abs, db, opts.clock ?? systemClock, false, lock);
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  /** Runs fn as one write transaction holding the database write lock from the start. */
  write<T>(fn: () => T): T {
    if (this.readOnly) {
      throw new FlowError(
        'read_only',
        `${this.flowDir} is read-only for this process, so nothing can be changed. Nothing was changed.`,
        'Make .flow/ and its files writable by the user running flowmcp (or remount the disk read-write), then restart the server; reading works meanwhile.',
      );
    }
    return writeTx(this.db, fn);
  }

  /** A new client session; its current flow/plan start at the last ones any session used. */
  session(agent: string): Session {
    return new Session(this.db, agent);
  }

  /** Runs fn when the workspace closes, before its database does. */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.splice(0)) {
      try {
        fn();
      } catch (e) {
        log.warn(`while closing the project: ${(e as Error).message}`);
      }
    }
    if (this.db.open) this.db.close();
    release(this.lock);
  }
}

/**
 * flow.db is gone but the project's other records are not: opening would make a fresh empty database,
 * every command would then show an empty project, and a later `recover` would find that healthy.
 */
function lostDatabase(flowDir: string, records: string): FlowError {
  return new FlowError(
    'storage',
    `${join(flowDir, 'flow.db')} is missing, but .flow/ still holds ${records}: the project's database was lost (deleted or moved), so the project is not opened and no new, empty database was made. Nothing was changed.`,
    'Run flowmcp recover: it rebuilds flow.db from the newest snapshots and the documents on disk. If you moved flow.db away yourself, put it back instead.',
    { missing: join(flowDir, 'flow.db') },
  );
}

/**
 * A client config's variable left as typed (`${workspaceFolder}`, `$HOME`): the client did not fill it
 * in, so the folder named is no folder. Said with the refusal, as that is what a model and a person see.
 */
export function unfilledVariable(dir: string): string | undefined {
  return /\$\{[^}]*\}|\$[A-Z_]{2,}/.exec(dir)?.[0];
}

/** The project root must already exist: a typo in --dir should not quietly start a new, empty project. */
function checkProjectDir(abs: string): void {
  // Stryker disable next-line BooleanLiteral: overwritten by statSync's answer, or set false again when it throws
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    const unfilled = unfilledVariable(abs);
    throw new FlowError(
      'invalid_input',
      `Project directory ${abs} does not exist or is not a directory.${unfilled ? ` It still holds ${unfilled}: the MCP client did not fill that variable in.` : ''}`,
      unfilled
        ? "Write the project folder's absolute path in the client's config in place of the variable (or leave --dir out where the client starts servers in the project or reports it as a root)."
        : 'Pass an existing project root with --dir or FLOW_DIR (or open the project folder in your client); flowmcp keeps its data in .flow/ inside it.',
    );
  }
  try {
    accessSync(abs, fsConstants.R_OK | fsConstants.X_OK);
  } catch {
    throw new FlowError(
      'storage',
      `Project directory ${abs} cannot be read by this user (permission denied); nothing was read or changed.`,
      'Run flowmcp as a user who can read the project folder, or give this user read and search (x) permission on it.',
    );
  }
}

/**
 * One call into the core (a tool call, a CLI command, a /flow line): where to act, and on whose
 * behalf. Named `Call`, not "context": in flowmcp, context is the per-flow memory (core/memory/).
 */
export interface Call {
  ws: Workspace;
  session: Session;
  /** Reports progress of long work (indexing, embedding) to whoever asked: MCP notifications, a CLI bar. */
  progress?: (done: number, total: number, message?: string) => void;
  /** Asks a model (the client's, through MCP sampling) to rewrite text as one /flow command line. */
  translate?: (text: string, grammar: string) => Promise<string | undefined>;
  /**
   * The state a person saw previewed before confirming a restore (snapshots/state-fingerprint.ts): the
   * restore is refused if its scope is in another state by the time it runs. Set by the web page.
   */
  previewed?: string;
}
