// `flowmcp hooks list | trust <name>... [--all] | test <name>`: the project's event hooks — which run,
// which wait for trust and why, their counters and backlog; trusting a project's hook definitions;
// and running one hook once with a sample event.
import { z } from 'zod';
import { hooksReport, testHook, trustProjectHooks } from '../core/hooks/hooks-report.js';
import { asFlowError } from '../tools/dispatch.js';
import { defineCommand, onOff, UsageError } from './command.js';
import { emitError } from './output.js';
import { printable } from '../model/error-text.js';
import { table } from './render.js';
import { withProject } from './with-project.js';
import { deliverPending } from '../core/hooks/hook-worker.js';

const USAGE = 'flowmcp hooks list | flowmcp hooks trust <name>... [--all] | flowmcp hooks test <name> | flowmcp hooks deliver';

export const hooksCommand = defineCommand({
  name: 'hooks',
  args: 'list|trust|test|deliver [name...]',
  summary: ['event hooks: list them (runs, failures, latency, backlog), trust a project\'s, test one, deliver what is pending'],
  flags: z.object({ all: onOff('all', 'hooks trust: every hook in .flow/config.json') }),
  positionals: z.array(z.string()).min(1, `hooks needs a subcommand: ${USAGE}`),
  run: ({ flags, args }, global) => {
    const [sub, ...names] = args;
    if (sub !== 'list' && sub !== 'trust' && sub !== 'test' && sub !== 'deliver') throw new UsageError(`hooks: unknown subcommand ${JSON.stringify(sub)}.`, `Write ${USAGE}.`);
    if ((sub === 'list' || sub === 'deliver') && names.length) throw new UsageError(`hooks ${sub} takes no names.`, `Write ${USAGE}.`);
    if (sub === 'test' && names.length !== 1) throw new UsageError('hooks test takes one hook name.', `Write ${USAGE}.`);
    if (sub === 'trust' && !names.length && !flags.all) throw new UsageError('hooks trust needs hook names, or --all.', `Write ${USAGE}.`);
    return withProject(global.dir, async (call) => {
      try {
        if (sub === 'deliver') {
          // Delivers what is pending with no time limit but each run's timeout; the rest (a failing
          // hook's retries) is left to the next process, as always.
          await deliverPending(call.ws, Infinity);
          const r = hooksReport(call);
          if (global.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          else process.stdout.write(printable(r.hooks.filter((h) => h.when === 'post' && h.state === 'runs').map((h) => `${h.name}: ${h.backlog ?? 0} pending${h.retry_at ? `, failing (next try at ${h.retry_at}): ${h.last_error}` : ''}`).join('\n') || 'no post hooks run here') + '\n');
          // A script running `hooks deliver` learns from the exit status that something is left undelivered.
          const failing = r.hooks.filter((h) => h.when === 'post' && h.state === 'runs' && h.retry_at);
          if (failing.length) {
            process.stderr.write(`flowmcp: ${failing.map((h) => h.name).join(', ')} failing; its events stay pending and are tried again (flowmcp hooks list shows the error).\n`);
            return 1;
          }
          return 0;
        }
        if (sub === 'list') {
          const r = hooksReport(call);
          if (global.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          else {
            const rows = r.hooks.map((h) => ({ ...h, events: h.events.join(','), avg_ms: h.avg_latency_ms, backlog: h.backlog ?? '' }));
            const lines = [table(rows as unknown as Record<string, unknown>[], ['name', 'scope', 'when', 'events', 'state', 'runs', 'failures', 'refusals', 'interrupted', 'avg_ms', 'backlog', 'last_error', 'target'])];
            for (const h of r.hooks) if (h.note) lines.push(`not run: ${h.note}`);
            for (const h of r.hooks) if (h.retry_at) lines.push(`${h.name}: failing, next try at ${h.retry_at}`);
            for (const h of r.hooks) if (h.lease_owner) lines.push(`${h.name}: being delivered by ${h.lease_owner} (lease until ${h.lease_until})`);
            for (const h of r.hooks) if (h.interrupted) lines.push(`${h.name}: stopped ${h.interrupted} time(s) by a one-shot command's time limit; a server or \`flowmcp hooks deliver\` delivers it`);
            for (const p of r.problems) lines.push(`not read: ${p}`);
            // The definitions and errors shown come from the project's files: no terminal control sequences.
            process.stdout.write(printable(lines.join('\n')) + '\n');
          }
          return 0;
        }
        if (sub === 'trust') {
          const r = trustProjectHooks(call, flags.all ? 'all' : names);
          if (global.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          else {
            const lines = r.trusted.map((t) => `trusted ${t.name} (sha256 ${t.hash.slice(0, 12)}…): ${JSON.stringify(t.definition)}${t.files.length ? `; and as they are now, the project files it runs: ${t.files.join(', ')}` : t.definition && 'run' in (t.definition as object) ? '; it names no project file flowmcp can hash, so a change to what it runs (a program on PATH, a file it loads) does not ask for trust again' : ''}`);
            for (const n of r.already_yours) lines.push(`${n} is in your own config: it runs without trust`);
            if (!r.trusted.length && !r.already_yours.length) lines.push('.flow/config.json defines no hooks: nothing to trust');
            if (r.file) lines.push(`recorded in ${r.file}; a changed definition or file needs trust again`);
            process.stdout.write(printable(lines.join('\n')) + '\n');
          }
          return 0;
        }
        const r = await testHook(call, names[0]!);
        if (global.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else {
          const o = r.outcome;
          const said = o.kind === 'ok' ? 'ok' : o.kind === 'refused' ? (r.payload.phase === 'pre' ? `refused: ${o.message}` : `not acknowledged: ${o.message}`) : `failed: ${o.message}`;
          process.stdout.write(printable(`${r.name} (${r.event}, sample event): ${said} in ${Math.round(o.latencyMs)} ms`) + '\n');
        }
        return r.outcome.kind === 'failed' || (r.outcome.kind === 'refused' && r.payload.phase === 'post') ? 1 : 0;
      } catch (e) {
        return emitError(`hooks ${sub}`, asFlowError(e), global.json);
      }
      // Listing hooks only reads: in a folder with no project it says so and makes no .flow/ there.
    }, 'cli', { readsOnly: sub === 'list' });
  },
});
