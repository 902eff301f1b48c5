// How a snapshot state keys the rows of the two tables whose key is several columns: dependencies
// (task, the task it waits on) and document links (document, target kind, target). The columns are
// written as a JSON array, so no id can run into the next one: with "a>b" keys, ids that held ">"
// (an import keeps its file's ids) made two dependencies one key, and a snapshot kept only one of them.
// No imports: the change log (state-changes.ts), which db.ts loads, keys its changes the same way.

export const depKeyOf = (taskId: string, dependsOn: string) => JSON.stringify([taskId, dependsOn]);
export const linkKeyOf = (documentId: string, targetKind: string, targetId: string) => JSON.stringify([documentId, targetKind, targetId]);
