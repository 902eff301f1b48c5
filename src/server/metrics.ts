// /metrics for the HTTP server, in the Prometheus text format (version 0.0.4): tool calls, their
// latencies and errors, HTTP requests, open sessions, and what the project holds (flows, tasks by
// status, search chunks, database size). Counts are read from the database at most every few seconds,
// so a scraper polling hard cannot load the server.
import { statSync } from 'node:fs';
import type { Workspace } from '../core/kernel/workspace.js';
import { readProjectCounts, type ProjectStats } from '../core/kernel/stats.js';
import type { ToolCallRecord } from './server.js';
import { hookRows, type HookReportRow } from '../core/hooks/hooks-report.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COUNTS_TTL_MS = 5_000;

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

interface ProjectCounts extends ProjectStats {
  dbBytes: number;
}

/** Label values are code-chosen names, but escape anyway: one stray quote would break the whole page. */
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${label(v)}"`).join(',')}}`;

export class Metrics {
  private readonly calls = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly http = new Map<string, number>();
  private counts?: { at: number; value: ProjectCounts };
  private hooks?: { at: number; value: HookReportRow[] };
  private bodies: () => { bytes: number; count: number } = () => ({ bytes: 0, count: 0 });
  private eventStreams: () => number = () => 0;

  constructor(
    private readonly ws: Workspace,
    private readonly sessions: () => number,
  ) {}

  toolCall(c: ToolCallRecord): void {
    const key = JSON.stringify([c.tool, c.action, c.error ? 'error' : 'ok']);
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (c.error) {
      const ek = JSON.stringify([c.tool, c.error]);
      this.errors.set(ek, (this.errors.get(ek) ?? 0) + 1);
    }
    let h = this.latency.get(c.tool);
    if (!h) this.latency.set(c.tool, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (c.seconds <= b) h.buckets[i]!++;
    });
    h.sum += c.seconds;
    h.count++;
  }

  /** Where the HTTP server counts its open GET /events streams. */
  watchEventStreams(read: () => number): void {
    this.eventStreams = read;
  }

  /** Where the HTTP server counts the request bodies it is receiving (and the bytes they hold). */
  watchBodies(read: () => { bytes: number; count: number }): void {
    this.bodies = read;
  }

  httpRequest(method: string, status: number): void {
    const key = JSON.stringify([method, String(status)]);
    this.http.set(key, (this.http.get(key) ?? 0) + 1);
  }

  private projectCounts(): ProjectCounts {
    const now = Date.now();
    if (this.counts && now - this.counts.at < COUNTS_TTL_MS) return this.counts.value;
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    const file = `${this.ws.flowDir}/flow.db`;
    const value: ProjectCounts = { ...readProjectCounts(this.ws), dbBytes: size(file) + size(`${file}-wal`) };
    this.counts = { at: now, value };
    return value;
  }

  /** Hook counters and backlogs, refreshed at most every few seconds (a backlog reads the log after the cursor). */
  private hookRows(): HookReportRow[] {
    const now = Date.now();
    if (this.hooks && now - this.hooks.at < COUNTS_TTL_MS) return this.hooks.value;
    let value: HookReportRow[] = [];
    try {
      value = hookRows(this.ws).hooks;
    } catch {
      value = []; // a broken config is said where hooks run; the page still renders
    }
    this.hooks = { at: now, value };
    return value;
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family('flowmcp_tool_calls_total', 'counter', 'Tool calls answered, by tool, action and outcome.');
    for (const [k, n] of this.calls) {
      const [tool, action, outcome] = JSON.parse(k) as string[];
      out.push(`flowmcp_tool_calls_total${labels({ tool: tool!, action: action!, outcome: outcome! })} ${n}`);
    }
    family('flowmcp_tool_errors_total', 'counter', 'Tool calls answered with an error, by tool and error code.');
    for (const [k, n] of this.errors) {
      const [tool, code] = JSON.parse(k) as string[];
      out.push(`flowmcp_tool_errors_total${labels({ tool: tool!, code: code! })} ${n}`);
    }
    family('flowmcp_tool_call_duration_seconds', 'histogram', 'Time from a tool call arriving to its answer, by tool.');
    for (const [tool, h] of this.latency) {
      BUCKETS.forEach((b, i) => out.push(`flowmcp_tool_call_duration_seconds_bucket${labels({ tool, le: String(b) })} ${h.buckets[i]}`));
      out.push(`flowmcp_tool_call_duration_seconds_bucket${labels({ tool, le: '+Inf' })} ${h.count}`);
      out.push(`flowmcp_tool_call_duration_seconds_sum${labels({ tool })} ${h.sum}`);
      out.push(`flowmcp_tool_call_duration_seconds_count${labels({ tool })} ${h.count}`);
    }
    family('flowmcp_http_requests_total', 'counter', 'HTTP requests, by method and status code.');
    for (const [k, n] of this.http) {
      const [method, status] = JSON.parse(k) as string[];
      out.push(`flowmcp_http_requests_total${labels({ method: method!, status: status! })} ${n}`);
    }
    const b = this.bodies();
    family('flowmcp_http_bodies_receiving', 'gauge', 'Request bodies being received right now.');
    out.push(`flowmcp_http_bodies_receiving ${b.count}`);
    family('flowmcp_http_body_bytes', 'gauge', 'Bytes of unfinished request bodies counted against --body-buffer-mb.');
    out.push(`flowmcp_http_body_bytes ${b.bytes}`);
    family('flowmcp_sessions', 'gauge', 'Open MCP sessions.');
    out.push(`flowmcp_sessions ${this.sessions()}`);
    family('flowmcp_event_streams', 'gauge', 'Open GET /events streams.');
    out.push(`flowmcp_event_streams ${this.eventStreams()}`);
    const c = this.projectCounts();
    family('flowmcp_flows', 'gauge', 'Flows in the project, by status.');
    for (const r of c.flows) out.push(`flowmcp_flows${labels({ status: r.status })} ${r.n}`);
    family('flowmcp_tasks', 'gauge', 'Tasks in the project, by status.');
    for (const r of c.tasks) out.push(`flowmcp_tasks${labels({ status: r.status })} ${r.n}`);
    family('flowmcp_index_chunks', 'gauge', 'Pieces of text the search index holds.');
    out.push(`flowmcp_index_chunks ${c.chunks}`);
    family('flowmcp_database_bytes', 'gauge', 'Size of .flow/flow.db and its write-ahead log.');
    out.push(`flowmcp_database_bytes ${c.dbBytes}`);
    const hooks = this.hookRows();
    const perHook = (name: string, type: string, help: string, value: (h: HookReportRow) => number | null) => {
      family(name, type, help);
      for (const h of hooks) {
        const v = value(h);
        if (v !== null) out.push(`${name}${labels({ hook: h.name, when: h.when })} ${v}`);
      }
    };
    perHook('flowmcp_hook_runs_total', 'counter', 'Hook runs (deliveries, pre checks), by hook.', (h) => h.runs);
    perHook('flowmcp_hook_failures_total', 'counter', 'Hook runs that failed (timed out, crashed, unreachable, not acknowledged).', (h) => h.failures);
    perHook('flowmcp_hook_refusals_total', 'counter', 'Changes a pre hook refused.', (h) => h.refusals);
    perHook('flowmcp_hook_latency_seconds_avg', 'gauge', 'Average time of a hook run.', (h) => (h.avg_latency_ms === null ? null : h.avg_latency_ms / 1000));
    perHook('flowmcp_hook_backlog', 'gauge', 'Events a post hook has still to be given.', (h) => h.backlog);
    return out.join('\n') + '\n';
  }
}
