// npm run eval:commands [-- --split A|B] [--show]: how much of what people say the plain-language reader
// understands, on requests written blind (by someone who never saw the patterns in
// src/commands/natural.ts or the command table in test/fixtures/commands/inputs.json), English and
// Korean, each with the grammar command it should become (bench/commands-eval/requests.json).
// Split A is for looking at misses and fixing their kind; split B is held out: its score is reported,
// its misses are listed only with --show, so fixes are not made for its sentences one by one.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCommand } from '../src/commands/parse.js';
import { caller } from '../test/helpers/call.js';
import { tempWorkspace } from '../test/helpers/workspace.js';

const Request = z.object({ id: z.string(), text: z.string(), expect: z.string(), split: z.enum(['A', 'B']) }).strict();
const requests = z.array(Request).parse(JSON.parse(readFileSync(new URL('./commands-eval/requests.json', import.meta.url), 'utf8')));

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = arg('--split');
const show = process.argv.includes('--show');

// The project the requests name: two flows, two plans, a few tasks, a labelled snapshot.
const t = tempWorkspace();
const ids = new Map<string, string>();
try {
  const { ok } = caller(t.call);
  ids.set('flow:Mobile app', ok('flow', { action: 'create', name: 'Mobile app' }).flow.id);
  ok('plan', { action: 'create', title: 'Screens' });
  ok('task', { action: 'create', title: 'Offline mode' });
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
  ok('snapshot', { action: 'create', label: 'after webhooks' });

  const fill = (s: string) => s.replace(/\{(\w+:[^}]+)\}/g, (_, k: string) => ids.get(k) ?? `?${k}?`);
  const score = new Map<string, { n: number; right: number }>();
  const misses: string[] = [];
  for (const r of requests) {
    if (only && r.split !== only) continue;
    const p = parseCommand(t.call, r.text);
    const got = p.kind === 'run' ? p.command.text : p.kind === 'status' ? 'status' : p.kind === 'help' ? 'help' : p.kind === 'undo' ? `/flow undo ${p.what}` : p.kind === 'choose' ? `choose: ${p.candidates.map((c) => c.title).join(' | ')}` : 'error';
    const want = fill(r.expect);
    const right = got === want || (want.startsWith('/flow help') && got === 'help') || (want === 'error' && (p.kind === 'error' || p.kind === 'choose'));
    const key = `${r.id.slice(0, 2)} ${r.split}`;
    const s = score.get(key) ?? { n: 0, right: 0 };
    s.n++;
    if (right) s.right++;
    score.set(key, s);
    if (!right && (r.split === 'A' || show)) misses.push(`${r.id}  ${r.text}\n    want ${want}\n    got  ${got}${p.kind === 'error' ? ` (${p.message})` : ''}`);
  }
  console.log('| language | split | requests | read as meant |\n|---|---|---:|---:|');
  for (const [key, s] of [...score].sort()) {
    const [lang, split] = key.split(' ');
    console.log(`| ${lang === 'en' ? 'English' : 'Korean'} | ${split}${split === 'B' ? ' (held out)' : ''} | ${s.n} | ${s.right} (${((100 * s.right) / s.n).toFixed(0)}%) |`);
  }
  if (misses.length) console.log(`\nMisses${show ? '' : ' (split A)'}:\n${misses.join('\n')}`);
} finally {
  t.cleanup();
}
