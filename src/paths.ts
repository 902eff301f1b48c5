// Where flowmcp's own files are (the shipped word vectors), whether running from src/ under the test
// runner or from the bundled dist/cli.js: the nearest folder above this module with our package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'flowmcp') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the flowmcp package folder (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
