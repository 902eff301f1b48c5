// Opening the project for a long-running face (the stdio and HTTP servers): its files settled and its
// background work started before the first call. Apart from project.ts, which every one-shot command
// loads: none of this (context reconciling, search warm-up, the hook worker) belongs in their start.
import { reconcileAll } from '../core/memory/context.js';
import { warmSearch } from '../core/docs/search-warmup.js';
import { startHookWorker } from '../core/hooks/hook-worker.js';
import { primeHookCursors } from '../core/hooks/delivery.js';
import type { Call } from '../core/kernel/workspace.js';
import { log } from '../log.js';
import { openProject, whereFrom, type ProjectDir } from '../project.js';

/**
 * Opens the project for a long-running face, says which one and why (on stderr), and settles its
 * files first: a context.json left behind by a crash, or edited by hand while no server ran, is
 * reconciled before the first call reads it; search is prepared in the background (core/docs/search-warmup.ts).
 * One-shot CLI commands skip this sweep of every flow; the context operations settle their own flow,
 * and they deliver post hooks only within a short budget (cli/with-project.ts).
 */
export function startProject(where: ProjectDir, agent: string): Call {
  const call = openProject(where, agent);
  // Before the first call: a cursor created at the first delivery pass would start past its change.
  primeHookCursors(call.ws);
  log.info(`project ${call.ws.root} (${whereFrom(where)})`);
  try {
    for (const r of reconcileAll(call)) log.info(`context ${r.flow_id}: ${r.report.outcome}`);
  } catch (e) {
    call.ws.close();
    throw e;
  }
  // Edited files, word vectors, the vector screen: prepared beside the first calls, not in the first search.
  warmSearch(call);
  // post hooks are delivered in the background for as long as the process runs (stopped on close).
  startHookWorker(call.ws);
  return call;
}
