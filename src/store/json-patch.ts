// JSON Patch (RFC 6902) between two JSON values, and applying one. Objects are compared key by key
// (snapshot states key every row by id, so a changed task is one small `replace`); arrays and scalars
// that differ are replaced whole. Paths are JSON Pointers (RFC 6901): "~" → "~0", "/" → "~1".
export type PatchOp = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~');
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => equal(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function diffJson(from: unknown, to: unknown, path = ''): PatchOp[] {
  const ops: PatchOp[] = [];
  diffInto(from, to, path, ops);
  return ops;
}

// One pass: objects are walked key by key (never compared whole first), leaves compared directly.
function diffInto(from: unknown, to: unknown, path: string, ops: PatchOp[]): void {
  if (!isObject(from) || !isObject(to)) {
    if (!equal(from, to)) ops.push({ op: 'replace', path, value: to });
    return;
  }
  const fromKeys = Object.keys(from);
  const toKeys = Object.keys(to);
  for (const k of fromKeys) if (!Object.hasOwn(to, k)) ops.push({ op: 'remove', path: `${path}/${escape(k)}` });
  for (const k of toKeys) {
    const b = to[k];
    if (!Object.hasOwn(from, k)) {
      ops.push({ op: 'add', path: `${path}/${escape(k)}`, value: b });
      continue;
    }
    const a = from[k];
    if (a === b) continue;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: diffInto replaces a non-object pair whole, as the else does; the test only saves a call
    if (typeof a === 'object' && typeof b === 'object') diffInto(a, b, `${path}/${escape(k)}`, ops);
    else ops.push({ op: 'replace', path: `${path}/${escape(k)}`, value: b });
  }
}

/**
 * Applies a patch to a deep copy of `doc` (or to `doc` itself with inPlace, when the caller owns it);
 * a path that does not fit the document is an error.
 */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[], opts: { inPlace?: boolean } = {}): T {
  let root: unknown = opts.inPlace ? doc : structuredClone(doc);
  for (const op of ops) {
    if (op.path === '') {
      if (op.op === 'remove') throw new Error('cannot remove the whole document');
      root = structuredClone(op.value);
      continue;
    }
    const keys = op.path.slice(1).split('/').map(unescape);
    let parent: unknown = root;
    for (const k of keys.slice(0, -1)) {
      // Own keys only: a payload is untrusted (a cloned .flow/ may hold it), and "/__proto__/x" walked
      // into Object.prototype would change every object in the process.
      if ((!isObject(parent) && !Array.isArray(parent)) || !Object.hasOwn(parent, k)) throw new Error(`patch path ${op.path} does not exist`);
      parent = (parent as Record<string, unknown>)[k];
    }
    const last = keys[keys.length - 1]!;
    if (Array.isArray(parent)) {
      // RFC 6901: an index is "0" or digits without a leading zero ("" or "1e0" is no index); "-" is one
      // past the end, and only add may go there: replace and remove need an element that is there.
      const i = last === '-' ? parent.length : ARRAY_INDEX.test(last) ? Number(last) : -1;
      if (i < 0 || i > parent.length - (op.op === 'add' ? 0 : 1)) throw new Error(`patch path ${op.path}: bad array index`);
      if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === 'replace') parent[i] = structuredClone(op.value);
      else parent.splice(i, 1);
      continue;
    }
    if (!isObject(parent)) throw new Error(`patch path ${op.path} does not exist`);
    if (op.op === 'remove' || op.op === 'replace') {
      if (!Object.hasOwn(parent, last)) throw new Error(`patch path ${op.path} does not exist`);
    }
    if (op.op === 'remove') delete parent[last];
    else Object.defineProperty(parent, last, { value: structuredClone(op.value), enumerable: true, writable: true, configurable: true });
  }
  return root as T;
}
