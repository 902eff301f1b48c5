// Checks every row of an import before anything is written, by the schemas the tools use
// (schemas/import.ts) and the dependency rules of dep-graph.ts, and collects what is wrong: where in
// the file, which field, what rule — never the value, which came from the file. One bad row refuses
// the whole import (nothing half-imported); the error lists the problems so all can be fixed at once.
import type { z } from 'zod';
import { cycleError, findCycle } from '../work/dep-graph.js';
import { FlowError } from '../../model/errors.js';
import { counted } from '../../model/counted.js';

export interface ImportProblem {
  /** Where in the file: e.g. flows[2].plans[0].tasks[5] (or the file's own id for it). */
  at: string;
  field?: string;
  problem: string;
}

const KEEP = 50; // problems kept for the report; all are counted

export class ImportCheck {
  readonly problems: ImportProblem[] = [];
  count = 0;

  add(p: ImportProblem): void {
    this.count++;
    if (this.problems.length < KEEP) this.problems.push(p);
  }

  /** The row parsed by `schema`, or undefined with its problems recorded. */
  /** `at` may be a function: the place is only spelled out for a row that fails (big imports pass millions). */
  row<S extends z.ZodType>(schema: S, value: unknown, at: string | (() => string)): z.infer<S> | undefined {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const place = typeof at === 'string' ? at : at();
    for (const i of r.error.issues) this.add({ at: place, field: i.path.map(String).join('.') || undefined, problem: i.message });
    return undefined;
  }

  /** Records a dependency cycle among `edges` (task → what it depends on), if there is one; `label` names its tasks. */
  cycles(edges: ReadonlyMap<string, readonly string[]>, at: string, label: (id: string) => string = (id) => id): void {
    const cycle = findCycle(edges);
    if (!cycle) return;
    const e = cycleError(
      cycle,
      label,
      // Stryker disable next-line StringLiteral: only the error's message is kept; its hint (this '') is never shown
      '',
      cycle.length === 2 ? 'a task depends on itself' : 'dependency cycle',
    );
    // Stryker disable next-line Regex: the sentence occurs once, at the end: every caller labels tasks by their place in the file (flows[0].plans[1].tasks[2])
    this.add({ at, field: 'depends_on', problem: e.message.replace(/\. Nothing was changed\.$/, '') });
  }

  /** Throws the refusal if anything was wrong; nothing has been written at this point. */
  throwIfAny(source: string): void {
    if (!this.count) return;
    const list = this.problems.slice(0, 5).map((p) => `${p.at}${p.field ? `.${p.field}` : ''}: ${p.problem}`).join('; ');
    throw new FlowError(
      'invalid_input',
      `${source}: ${counted(this.count, 'problem')} with rows the tools would refuse (${list}${this.count > 5 ? '; …' : ''}). Nothing was imported.`,
      'Fix these rows in the file (the same limits as the tools: names up to 200 characters, titles 500, text 50,000, one-line names and titles, no dependency cycles) and import again.',
      { problems: this.problems, problem_count: this.count },
    );
  }
}

