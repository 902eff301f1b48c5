// sqlite-vec (the vec0 loadable library) in a connection, so the vector half's exact scan is one SQL
// statement and no stored vector is copied into JS. Loaded on a connection's first vector search, not
// at open: most commands never search, and loading costs a few milliseconds.
//
// Which library is loaded comes only from the installed sqlite-vec package (its getLoadablePath
// resolves its platform package beside it): nothing in .flow/ or the project chooses it. better-sqlite3's
// loadExtension is the C API; SQL's own load_extension() stays off, so a schema cannot load anything.
import { createRequire } from 'node:module';
import type * as SqliteVec from 'sqlite-vec';
import { log } from '../log.js';
import type { Db } from './db.js';

/** Tests set FLOWMCP_NO_SQLITE_VEC=1 to run the fallback (the JS exact scan) on a machine that has the extension. */
const DISABLE_ENV = 'FLOWMCP_NO_SQLITE_VEC';

const loaded = new WeakMap<Db, boolean>();
let warned = false;

/** Where the installed package says its library is; throws when the platform or its package is missing. */
function loadablePath(): string {
  // require, not import: a missing package is a fallback, not a CLI that cannot start (and the bundle
  // leaves the package outside, where its own lookup of vec0 relative to itself works).
  const vec = createRequire(import.meta.url)('sqlite-vec') as typeof SqliteVec;
  return vec.getLoadablePath();
}

/**
 * Whether vec_distance_cosine and friends are available on this connection, loading sqlite-vec the
 * first time. When it cannot load, search uses the JS scan and says why once on stderr.
 */
export function hasSqliteVec(db: Db): boolean {
  if (process.env[DISABLE_ENV] === '1') return false;
  const known = loaded.get(db);
  if (known !== undefined) return known;
  let ok = false;
  try {
    db.loadExtension(loadablePath());
    ok = true;
  } catch (e) {
    if (!warned) log.warn(`sqlite-vec could not be loaded (${(e as Error).message.split('\n')[0]}); the vector half scans in JS instead (slower on small and filtered sets).`);
    warned = true;
  }
  loaded.set(db, ok);
  return ok;
}
