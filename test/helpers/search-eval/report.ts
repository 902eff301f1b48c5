// Answers → markdown tables: one per split, a row per mode × question kind, each measure as its mean
// with the 95% bootstrap interval, and how many questions got no file at all.
import { bootstrap, seedOf, type QuestionScores } from './metrics.js';
import type { Answer, Mode } from './run.js';
import { KINDS, type Kind, type Split } from './sets.js';

const MODE_LABEL: Record<Mode, string> = {
  bm25: 'plain bm25 (baseline)',
  text: 'full text (product)',
  vector: 'vectors alone',
  both: 'hybrid (product default)',
};
const MEASURES = ['mrr10', 'recall5', 'ndcg10'] as const satisfies readonly (keyof QuestionScores)[];

function cell(values: number[], label: string): string {
  const e = bootstrap(values, seedOf(label));
  return `${e.mean.toFixed(3)} [${e.lo.toFixed(2)}–${e.hi.toFixed(2)}]`;
}

/** The table of one set and one split; `answers` may hold other splits, they are filtered here. */
export function splitTable(set: string, split: Split, answers: Answer[], modes: readonly Mode[]): string {
  const rows: string[] = [
    `| mode | kind | n | MRR@10 | recall@5 | nDCG@10 | empty |`,
    `|---|---|---:|---|---|---|---:|`,
  ];
  for (const mode of modes) {
    for (const kind of [...KINDS, 'all'] as const) {
      const group = answers.filter((a) => a.mode === mode && a.query.split === split && (kind === 'all' || a.query.kind === (kind as Kind)));
      if (group.length === 0) continue;
      const cells = MEASURES.map((m) => cell(group.map((a) => a[m]), `${set}/${split}/${mode}/${kind}/${m}`));
      const label = kind === 'all' ? `**${MODE_LABEL[mode]}**` : MODE_LABEL[mode];
      rows.push(`| ${label} | ${kind} | ${group.length} | ${cells.join(' | ')} | ${group.filter((a) => a.empty).length} |`);
    }
  }
  return `### ${set} — ${split}\n\n${rows.join('\n')}\n`;
}
