// `flowmcp events`: the event log oldest first, from a position (--since N prints seq > N), and with
// --follow every change after it as it is committed, by this or any other process, until Ctrl-C or
// SIGTERM. One line per event, or with --json one JSON object per line (NDJSON, the README's payload).
import { eventsSince, newestSeq, type StreamEvent } from '../core/kernel/event-log.js';
import { followEvents, PAGE } from '../core/events/follow.js';
import { EventsFollow } from '../core/schemas/log.js';
import { asFlowError } from '../tools/dispatch.js';
import { defineCommand, onOff } from './command.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';
import { withProject } from './with-project.js';
import { logFlowId } from '../core/kernel/log-names.js';

const EventsFlags = EventsFollow.extend({
  since: EventsFollow.shape.since.meta({ value: 'N', help: 'only events after seq N (0: the whole log; the default, or with --follow: from now on)' }),
  follow: onOff('follow', 'keep printing new events as they are committed, until Ctrl-C'),
  flow: EventsFollow.shape.flow.meta({ value: 'F', help: 'only events in this flow (its id or exact name)' }),
  entity: EventsFollow.shape.entity.meta({ value: 'E', help: 'only events about this kind of thing' }),
});

// Text in the log may come from anyone who could write to .flow/: no terminal control sequences.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
const clean = (s: string | null) => (s ?? '-').replace(CONTROL, ' ');

export function eventLine(e: StreamEvent): string {
  return [e.seq, e.at, clean(e.agent), clean(e.action), clean(e.entity_id), clean(e.summary)].join('  ');
}

/** Writes lines; resolves once stdout has taken them (a reader that is slow holds the next page back). */
function writeOut(events: StreamEvent[], json: boolean): Promise<void> | void {
  const text = events.map((e) => (json ? JSON.stringify(e) : eventLine(e))).join('\n') + '\n';
  if (!process.stdout.write(text)) return new Promise((resolve) => process.stdout.once('drain', resolve));
}

export const eventsCommand = defineCommand({
  name: 'events',
  summary: ['changes oldest first from a seq (--since N); --follow waits for new ones from any process'],
  flags: EventsFlags,
  run: ({ flags }, global) =>
    withProject(global.dir, async (call) => {
      const db = call.ws.db;
      // A flow by id or exact name, as everywhere (and as log takes it); one that is not there is refused with the nearest ones.
      const filter = { flow_id: flags.flow === undefined ? undefined : logFlowId(call, flags.flow), entity: flags.entity };
      const newest = newestSeq(db);
      let since = flags.since ?? (flags.follow ? newest : 0);
      if (since > newest) {
        // As GET /events does: said, and a follow goes on from the end of this log (never waits for a seq that may not come).
        process.stderr.write(
          `flowmcp: the log ends at seq ${newest}, before --since ${since}: was .flow/flow.db replaced (recover, a copy)?${flags.follow ? ` Following from seq ${newest}.` : ` Use --since ${newest} for what comes next.`}\n`,
        );
        if (flags.follow) since = newest;
      }
      if (flags.follow && call.ws.readOnly) {
        // Read from a copy of flow.db taken at open (see Workspace): nothing committed later can show.
        process.stderr.write(`flowmcp: ${call.ws.flowDir} is read-only for this process, so it reads a copy of flow.db made just now: --follow cannot see later changes.\n`);
      }
      // A reader that went away (`| head`) ends the command quietly.
      let gone: () => void = () => undefined;
      process.stdout.on('error', () => gone());
      if (!flags.follow) {
        let cursor = since;
        for (;;) {
          const page = eventsSince(db, cursor, newest, PAGE, filter);
          if (!page.length) return 0;
          const waiting = writeOut(page, global.json);
          if (waiting) await Promise.race([waiting, new Promise<void>((r) => (gone = r))]);
          if (process.stdout.destroyed) return 0;
          cursor = page[page.length - 1]!.seq;
          if (page.length < PAGE) return 0;
        }
      }
      return new Promise<number>((resolve) => {
        // The poll timer never keeps a process alive; following does, until told to stop.
        const alive = setInterval(() => undefined, 1 << 30);
        const finish = (code: number) => {
          follower.stop();
          clearInterval(alive);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(code);
        };
        const onSignal = () => finish(0);
        gone = () => finish(0);
        const follower = followEvents(
          call.ws,
          {
            since,
            filter,
            onError: (e) => {
              process.stderr.write(renderError(cliError(asFlowError(e))) + '\n');
              finish(1);
            },
          },
          (page) => writeOut(page, global.json),
        );
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
    }, 'cli', { readsOnly: true }),
});
