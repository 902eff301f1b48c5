// What the page holds while it runs: the board it read, its tasks by id, the filters, the live stream and
// whether the session is gone. One object every part of the page reads, so no part keeps a stale copy.
import { NO_FILTER, type BoardFilter } from './address.js';
import type { Column } from './column.js';
import type { LiveStream } from './live.js';
import type { Board, Status, TaskRow } from './types.js';

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export const state = {
  board: undefined as Board | undefined,
  tasks: new Map<string, TaskRow>(),
  filter: { ...NO_FILTER } as BoardFilter,
  events: undefined as LiveStream | undefined,
  /** Set once the session is gone (signed out here, or the server no longer knows it): nothing else runs. */
  signedOut: false,
  /** The person pressed Sign out: a stream or call refused meanwhile (401) is that, not a lost session. */
  signingOut: false,
  /** Filters from the address that named nothing this board knows (a stale or mistyped link), said above the board. */
  unknownFilters: [] as string[],
  /**
   * The plan the person chose in the create form (or the board's Plan filter chose for them): kept across
   * live redraws of the menu, and, if it is deleted meanwhile, said so rather than quietly replaced.
   */
  newPlan: undefined as { id: string; title: string } | undefined,
};

/** The board's columns by status (built once, in app.ts). */
export const columns = new Map<string, Column>();

/** A status chosen with the keyboard on a card but not committed yet, by task id (kept across redraws). */
export const pendingStatus = new Map<string, Status>();

/**
 * The status the person last asked for, by task id, while a move of that task is on its way: the next
 * key counts from it (not from the card as drawn), and the next move is sent once the one on its way
 * answered, with the revision it brought back.
 */
export const askedStatus = new Map<string, Status>();

/** The page's views; one is shown at a time. */
export const VIEWS = ['board-view', 'task-view', 'search-view', 'briefing-view', 'snapshots-view'];
