// Field schemas shared by every operation's input: ids, titles, text, revisions, paging.
import { z } from 'zod';
import {
  FLOW_STATUSES,
  PLAN_STATUSES,
  PLAN_STATUS_ALIASES,
  PRIORITIES,
  TASK_STATUSES,
  TASK_STATUS_ALIASES,
  normalizeWord,
} from '../../model/vocab.js';
import { ID_MAX, NAME_MAX } from '../../model/limits.js';
import { count } from '../../model/error-text.js';

/**
 * What every input error says, whichever schema found it (installed once, for every schema): a value
 * too long or too big says the limit, and a value that fits none of the shapes a field takes (a
 * decision is a string or {what, why}) says what is wrong with it in the shape its type picks, not
 * only "Invalid input".
 */
function inputError(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'too_big' || iss.code === 'too_small') {
    const n = Number(iss.code === 'too_big' ? iss.maximum : iss.minimum);
    const unit = iss.origin === 'string' ? 'characters' : iss.origin === 'array' || iss.origin === 'set' ? 'items' : '';
    if (!unit) return undefined;
    if (iss.code === 'too_small' && n === 1) return 'must not be empty';
    const bound = iss.code === 'too_big' ? (iss.inclusive === false ? 'fewer than' : 'at most') : iss.inclusive === false ? 'more than' : 'at least';
    return `must be ${bound} ${count(n)} ${unit}`;
  }
  if (iss.code === 'invalid_union' && 'errors' in iss && Array.isArray(iss.errors)) {
    // The branch the value's type chose: the one that did not fail on the type of the value itself.
    const branch = (iss.errors as z.core.$ZodIssue[][]).find((errs) => errs.length && !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
    const first = branch?.[0];
    if (first) return first.path.length ? `${first.path.map(String).join('.')}: ${first.message}` : first.message;
  }
  return undefined;
}
z.config({ customError: inputError });

export const LIMITS = {
  id: ID_MAX,
  name: NAME_MAX,
  title: 500,
  text: 50_000,
  batch: 500,
  pageDefault: 50,
  pageMax: 200,
  leaseDefaultSeconds: 1800,
  leaseMaxSeconds: 86_400,
} as const;

// Control characters in a one-line field break tables, logs and prompts; newlines belong in text.
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

// With the u flag a paired surrogate is one code point, so this matches only half of one: text a
// client cut in the middle of an emoji. SQLite would keep it as bytes that read back as three U+FFFD
// (a file as one): the text could never be stored as it was given.
const HALF_CHARACTER = /[\ud800-\udfff]/u;
/** For .refine: text made of whole characters. */
export const wholeCharacters = [(s: string) => !HALF_CHARACTER.test(s), 'must be whole characters (half of an emoji or other character was cut off)'] as const;

export const Id = z.string().trim().min(1, 'must not be empty').max(LIMITS.id);

/** A one-line label (name, title, agent): trimmed, non-empty, bounded, no control characters. */
export function oneLine(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL, 'must be one line without control characters')
    .refine(...wholeCharacters);
}

export const Name = oneLine(LIMITS.name);
export const Title = oneLine(LIMITS.title);

export const Text = z
  .string()
  .max(LIMITS.text, `must be at most ${LIMITS.text} characters; keep long material in a document`)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .refine(...wholeCharacters);

export const Revision = z.number().int().min(1);
export const Cursor = z.string().min(1).max(1000);
export const Limit = z.number().int().min(1).max(LIMITS.pageMax);
export const Confirm = z.boolean();
export const Position = z.number().int().min(1);

function wordPreprocess(canonical: readonly string[], aliases: Readonly<Record<string, string>>) {
  return (v: unknown) => (typeof v === 'string' ? (normalizeWord(v, canonical, aliases) ?? v) : v);
}

export const TaskStatus = z.preprocess(wordPreprocess(TASK_STATUSES, TASK_STATUS_ALIASES), z.enum(TASK_STATUSES));
export const PlanStatus = z.preprocess(wordPreprocess(PLAN_STATUSES, PLAN_STATUS_ALIASES), z.enum(PLAN_STATUSES));
export const FlowStatus = z.preprocess(wordPreprocess(FLOW_STATUSES, {}), z.enum(FLOW_STATUSES));
export const Priority = z.preprocess(wordPreprocess(PRIORITIES, { normal: 'medium', critical: 'urgent' }), z.enum(PRIORITIES));

/** One id or several; a single string is accepted where a list is expected. */
export const IdList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(Id).min(1).max(LIMITS.batch));
