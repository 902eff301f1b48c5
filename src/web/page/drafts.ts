// Unsaved edits of task pages kept in this browser (localStorage), so a session that ends by itself (a
// server restart) does not lose them; an explicit sign-out forgets them (a shared browser's next person
// must not read them), after showing them to copy.

/**
 * The fields the person edited (compared to the version their form was opened from), kept across a redraw
 * to the task's newer version: only these go over it. A field they did not touch shows, and keeps, the
 * newer version's value (a save never puts back what someone else changed meanwhile).
 */
export type Kept = Partial<Record<'title' | 'description' | 'priority', string>>;

// Kept by task id and the revision they started from, as they are typed. After signing in again the form
// of that task at that revision gets them back, and says so; a save drops them.
const PREFIX = 'flowmcp-draft:';
const draftKey = (id: string, revision: number) => `${PREFIX}${id}:${revision}`;

export function readDraft(id: string, revision: number): Kept | undefined {
  try {
    const raw = localStorage.getItem(draftKey(id, revision));
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Record<string, unknown>;
    const out: Kept = {};
    for (const k of ['title', 'description', 'priority'] as const) if (typeof v[k] === 'string') out[k] = v[k];
    return Object.keys(out).length ? out : undefined;
  } catch {
    return undefined;
  }
}

export function writeDraft(id: string, revision: number, edits: Kept): void {
  try {
    if (Object.keys(edits).length) localStorage.setItem(draftKey(id, revision), JSON.stringify(edits));
    else localStorage.removeItem(draftKey(id, revision));
  } catch {
    // Storage full or refused: the form still holds the text.
  }
}

/** Every draft this browser keeps, by task id (a task's newest revision's), to show before forgetting them. */
export function allDrafts(): { id: string; edits: Kept }[] {
  const out = new Map<string, { revision: number; edits: Kept }>();
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const m = /^flowmcp-draft:(.+):(\d+)$/.exec(localStorage.key(i) ?? '');
      if (!m) continue;
      const edits = readDraft(m[1]!, Number(m[2]));
      const had = out.get(m[1]!);
      if (edits && (!had || had.revision < Number(m[2]))) out.set(m[1]!, { revision: Number(m[2]), edits });
    }
  } catch {
    // Storage refused: nothing kept to show.
  }
  return [...out].map(([id, d]) => ({ id, edits: d.edits }));
}

/** Forgets every draft this browser keeps (an explicit sign-out). */
export function forgetDrafts(): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith(PREFIX)) keys.push(localStorage.key(i)!);
    for (const k of keys) localStorage.removeItem(k);
  } catch {
    // Storage refused: there is nothing it could have kept.
  }
}
