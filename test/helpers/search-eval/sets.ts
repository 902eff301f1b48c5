// The search evaluation sets under test/fixtures/search-eval/<set>/ (format: issue 15): listing them,
// parsing queries.json once with zod, and reading their gzipped documents. Everything that measures or
// validates a set goes through here, so the format is described in one place.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

export const SETS_DIR = fileURLToPath(new URL('../../fixtures/search-eval/', import.meta.url));

export const KINDS = ['words', 'paraphrase', 'korean'] as const;
export const SPLITS = ['dev', 'heldout'] as const;
export type Kind = (typeof KINDS)[number];
export type Split = (typeof SPLITS)[number];

export const QuerySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+-\d{3}$/),
    q: z.string().min(3),
    relevant: z.array(z.string().regex(/^[^/]+\.md$/)).min(1).max(3),
    kind: z.enum(KINDS),
    split: z.enum(SPLITS),
  })
  .strict();
export type Query = z.infer<typeof QuerySchema>;
export const QueriesSchema = z.array(QuerySchema);

// The counts every set must reach (eval-format.md): enough questions per kind for an interval that means something.
export const MINIMUMS = { english: 50, paraphrase: 25, korean: 15 } as const;

export interface EvalSet {
  name: string;
  dir: string;
  queries: Query[];
  /** Document names as the index sees them: docs/<name>.md.gz → <name>.md. */
  docs: string[];
}

/** Every set present (a directory with a queries.json), by name. */
export function listSets(): string[] {
  if (!existsSync(SETS_DIR)) return [];
  return readdirSync(SETS_DIR)
    .filter((d) => statSync(join(SETS_DIR, d)).isDirectory() && existsSync(join(SETS_DIR, d, 'queries.json')))
    .sort();
}

export function loadSet(name: string): EvalSet {
  const dir = join(SETS_DIR, name);
  const queries = QueriesSchema.parse(JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')));
  const docs = readdirSync(join(dir, 'docs'))
    .filter((f) => f.endsWith('.md.gz'))
    .map((f) => f.slice(0, -'.gz'.length))
    .sort();
  return { name, dir, queries, docs };
}

/** One document's markdown; `doc` is its name without .gz. */
export function readDoc(set: EvalSet, doc: string): string {
  return gunzipSync(readFileSync(join(set.dir, 'docs', `${doc}.gz`))).toString('utf8');
}

// Sets whose first questions predate the split rule (each says why in its SOURCE.md): questions up to
// number `devThrough` were tuned on, so they are all dev; every later one is heldout.
export const SPLIT_EXCEPTIONS: Readonly<Record<string, { devThrough: number }>> = { nodejs: { devThrough: 50 } };

/** The split a question's id asks for: every third by number (001, 004, …) is dev, unless its set is an exception. */
export function expectedSplit(set: string, id: string): Split {
  const n = Number(id.slice(-3));
  const exception = SPLIT_EXCEPTIONS[set];
  if (exception) return n <= exception.devThrough ? 'dev' : 'heldout';
  return n % 3 === 1 ? 'dev' : 'heldout';
}
