// JSON Patch (RFC 6902) between two JSON values, and applying one. Objects are compared key by key
// (snapshot states key every row by id, so a changed task is one small `replace`); arrays and scalars
// that differ are replaced whole. Paths are JSON Pointers (RFC 6901): "~" → "~0", "/" → "~1".
export type PatchOp = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~');
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
  if (equal(from, to)) return [];
  if (!isObject(from) || !isObject(to)) return [{ op: 'replace', path, value: to }];
  const ops: PatchOp[] = [];
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) ops.push({ op: 'remove', path: `${path}/${escape(k)}` });
  for (const [k, v] of Object.entries(to)) {
    if (!Object.hasOwn(from, k)) ops.push({ op: 'add', path: `${path}/${escape(k)}`, value: v });
    else ops.push(...diffJson(from[k], v, `${path}/${escape(k)}`));
  }
  return ops;
}

/** Applies a patch to a deep copy of `doc`; a path that does not fit the document is an error. */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  let root: unknown = structuredClone(doc);
  for (const op of ops) {
    if (op.path === '') {
      if (op.op === 'remove') throw new Error('cannot remove the whole document');
      root = structuredClone(op.value);
      continue;
    }
    const keys = op.path.slice(1).split('/').map(unescape);
    let parent: unknown = root;
    for (const k of keys.slice(0, -1)) {
      if (!isObject(parent) && !Array.isArray(parent)) throw new Error(`patch path ${op.path} does not exist`);
      parent = (parent as Record<string, unknown>)[k];
    }
    const last = keys[keys.length - 1]!;
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`patch path ${op.path}: bad array index`);
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
