// Whole-project counts for monitoring (/metrics): flows and tasks by status, search chunks.
import type { Db } from './db.js';
import { stmt } from './statements.js';

export interface ProjectStats {
  flows: { status: string; n: number }[];
  tasks: { status: string; n: number }[];
  chunks: number;
}

export function projectStats(db: Db): ProjectStats {
  return {
    flows: stmt(db, 'SELECT status, COUNT(*) AS n FROM flows GROUP BY status ORDER BY status').all() as ProjectStats['flows'],
    tasks: stmt(db, 'SELECT status, COUNT(*) AS n FROM tasks GROUP BY status ORDER BY status').all() as ProjectStats['tasks'],
    chunks: stmt(db, 'SELECT COUNT(*) FROM chunks').pluck().get() as number,
  };
}
