// A schema's refusal of one value in the house's words ("must be 1 or more", "must be at most 500
// characters") instead of zod's own ("Too small: expected number to be >=1"). A message a schema wrote
// itself is kept: only zod's stock wording is replaced.
import type { z } from 'zod';

/** zod's stock messages start so; a schema's own message (a `.min(1, '…')`) does not. */
const STOCK = /^(?:Too small|Too big|Invalid input|Invalid (?:string|number|option|type)|Expected |Invalid$)/;

const TYPE_WORDS: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object' };

function bound(n: unknown): string {
  return typeof n === 'bigint' ? n.toString() : String(n);
}

/** What is wrong with the value, said after its name: `must be 1 or more`. */
export function issueText(issue: z.core.$ZodIssue): string {
  if (!STOCK.test(issue.message)) return issue.message;
  // A value left out is said as missing, not as a wrong one ("Invalid option: expected one of …"): the
  // input is there when the caller parsed with reportInput, and undefined only when nothing was given.
  if ('input' in issue && issue.input === undefined) {
    if (issue.code === 'invalid_value') return `is required (one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
    if (issue.code === 'invalid_type') return `is required (${TYPE_WORDS[issue.expected] ?? issue.expected})`;
  }
  switch (issue.code) {
    case 'too_small': {
      const min = bound(issue.minimum);
      const at = issue.inclusive === false ? 'more than' : 'at least';
      if (issue.origin === 'string') return `must be ${at} ${min} character${min === '1' ? '' : 's'} long${min === '1' && issue.inclusive !== false ? ' (it may not be empty)' : ''}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold ${at} ${min} item${min === '1' ? '' : 's'}`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be ${min} or more`;
    }
    case 'too_big': {
      const max = bound(issue.maximum);
      const at = issue.inclusive === false ? 'less than' : 'at most';
      if (issue.origin === 'string') return `must be ${at} ${max} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold ${at} ${max} items`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be ${max} or less`;
    }
    case 'invalid_type':
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'not_multiple_of':
      return `must be a multiple of ${bound(issue.divisor)}`;
    case 'invalid_format':
      return `is not a valid ${issue.format.replace(/_/g, ' ')}`;
    default:
      return issue.message;
  }
}
