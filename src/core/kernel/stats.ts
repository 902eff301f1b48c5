// Whole-project counts for monitoring (the HTTP server's /metrics): flows and tasks by status, search
// chunks. One read across areas, so it sits with the workspace rather than in any one of them.
import { projectStats, type ProjectStats } from '../../store/stats.js';
import type { Workspace } from './workspace.js';

export type { ProjectStats };

export const readProjectCounts = (ws: Workspace): ProjectStats => projectStats(ws.db);
