// The plain-language evaluation (bench/commands-eval/requests.json, written blind): its requests, the
// project they name, and the judgement whether a request was read as meant. Shared by the bench
// (npm run eval:commands, which reports both splits) and the test that keeps split A read as meant.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCommand } from '../../src/commands/parse.js';
import type { Parsed } from '../../src/commands/build.js';
import { READ_ACTIONS } from '../../src/model/vocab.js';
import { caller } from './call.js';
import { tempWorkspace, type TempWorkspace } from './workspace.js';

const Request = z.object({ id: z.string(), text: z.string(), expect: z.string(), split: z.enum(['A', 'B', 'C', 'D', 'E', 'F']) }).strict();
export type EvalRequest = z.infer<typeof Request>;

export function evalRequests(): EvalRequest[] {
  return z.array(Request).parse(JSON.parse(readFileSync(new URL('../../bench/commands-eval/requests.json', import.meta.url), 'utf8')));
}

export interface Judged {
  request: EvalRequest;
  right: boolean;
  want: string;
  got: string;
  parsed: Parsed;
  /** Read wrongly as a command that changes something (the worst miss: not a refusal, not a look). */
  wrongChange: boolean;
}

/** The project the requests name (two flows, two plans, tasks, two snapshots) and a judge over it. */
export function evalProject(): { t: TempWorkspace; judge: (r: EvalRequest) => Judged } {
  const t = tempWorkspace();
  const ids = new Map<string, string>();
  const { ok } = caller(t.call);
  ids.set('flow:Mobile app', ok('flow', { action: 'create', name: 'Mobile app' }).flow.id);
  ids.set('plan:Screens', ok('plan', { action: 'create', title: 'Screens' }).plan.id);
  ids.set('task:Offline mode', ok('task', { action: 'create', title: 'Offline mode' }).task.id);
  ids.set('flow:Checkout revamp', ok('flow', { action: 'create', name: 'Checkout revamp' }).flow.id);
  const plans: Record<string, string[]> = {
    Auth: ['Login page', 'Password reset email', 'Rate limiter', '로그인 화면 구현'],
    Payments: ['Stripe webhook', 'Refund flow', 'Write migration tests', '결제 모듈 테스트', '배포 스크립트 작성'],
  };
  for (const [plan, tasks] of Object.entries(plans)) {
    ids.set(`plan:${plan}`, ok('plan', { action: 'create', title: plan }).plan.id);
    for (const title of tasks) ids.set(`task:${title}`, ok('task', { action: 'create', title }).task.id);
  }
  ids.set('snap:before migration', ok('snapshot', { action: 'create', label: 'before migration' }).snapshot.id);
  ids.set('snap:latest', ok('snapshot', { action: 'create', label: 'after webhooks' }).snapshot.id);
  ids.set('snap:after webhooks', ids.get('snap:latest')!);
  const fill = (s: string) => s.replace(/\{(\w+:[^}]+)\}/g, (_, k: string) => ids.get(k) ?? `?${k}?`);

  // Two lines that make the same tool call are the same reading ("/flow done t-1" = "/flow done task t-1",
  // "/flow decide X" = "/flow save context --decision X"); a delete's --confirm is the person's to give, so
  // it is left out; titles a request leaves to wording compare without quotes, end marks and case.
  const loose = (x: unknown): unknown =>
    typeof x === 'string' ? x.replace(/["“”'‘’?.!]/g, '').replace(/\s+/g, ' ').trim().toLowerCase() : Array.isArray(x) ? x.map(loose) : x;
  const reading = (text: string) => {
    const p = parseCommand(t.call, text);
    if (p.kind !== 'run') return { p, key: p.kind === 'undo' ? `undo ${p.what}` : p.kind };
    const { confirm: _confirm, ...args } = p.command.args;
    return { p, key: JSON.stringify([p.command.tool, Object.fromEntries(Object.entries(args).sort().map(([k, v]) => [k, loose(v)]))]) };
  };
  const judge = (r: EvalRequest): Judged => {
    const { p, key } = reading(r.text);
    const want = fill(r.expect);
    const wanted = want === 'error' ? 'error' : want === 'status' ? 'status' : want.startsWith('/flow help') ? 'help' : reading(want.replace(/\s--confirm$/, '')).key;
    const right = wanted === 'error' ? p.kind === 'error' || p.kind === 'choose' : key === wanted;
    const got = p.kind === 'run' ? p.command.text : p.kind === 'choose' ? `choose: ${p.candidates.map((c) => c.title).join(' | ')}` : p.kind === 'error' ? `error (${p.message})` : key;
    const changes = p.kind === 'undo' || (p.kind === 'run' && p.command.tool !== 'search' && !READ_ACTIONS.has(p.command.args.action));
    return { request: r, right, want, got, parsed: p, wrongChange: !right && changes };
  };
  return { t, judge };
}
