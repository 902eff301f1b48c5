// Where a program named by its bare name (xdg-open, notify-send) really is, found on PATH the way a
// shell finds it but through absolute PATH folders only. Spawned by bare name, a program is looked up
// by the OS relative to the child's working folder too: Windows tries the current folder first, and a
// relative PATH entry (the common node_modules/.bin, or an empty one) is read from the project folder
// on every system. There a cloned repository could put a program of that name and have it run with a
// sign-in link or a hook's event. A name with a folder in it (./scripts/x, /usr/bin/x) is a path the
// user chose and is left as it is.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export function findProgram(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (name.includes('/') || (platform === 'win32' && name.includes('\\'))) return name;
  const path = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  // On Windows only programs proper: a .cmd or .bat runs only through a shell, which spawn refuses.
  const exts = platform === 'win32' && !/\.[^.\\/]+$/.test(name) ? ['.com', '.exe'] : [''];
  for (const dir of path.split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const ext of exts) {
      const file = join(dir, name + ext);
      if (runnable(file, platform)) return file;
    }
  }
  return undefined;
}

function runnable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
