// Whether a project can have hooks at all, known from two lstat calls: hooks are defined only in the
// project's .flow/config.json and in the user's own config file, so when neither exists there is
// nothing to run, prime or deliver. A one-shot command then never loads the hook machinery (its
// config schemas were ~10% of a command's start). Anything at either path — a directory, a file that
// cannot be read — counts as "may have hooks", so the real readers say what is wrong with it.
import { lstatSync } from 'node:fs';
import { projectConfigPath, userConfigPath } from '../kernel/config-paths.js';
import type { Workspace } from '../kernel/workspace.js';

function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true; // a path through a file, no permission: the readers decide and say so
  }
}

export function hooksMayExist(ws: Workspace): boolean {
  return present(projectConfigPath(ws.flowDir)) || present(userConfigPath());
}
