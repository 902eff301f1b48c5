// Where the project is: --dir, else FLOW_DIR, else the client's first file:// root, else the cwd.
// Asked only when the first tool call needs the workspace, never during the handshake.
import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { log } from '../log.js';

export interface ProjectDir {
  dir: string;
  source: 'flag' | 'env' | 'roots' | 'cwd';
}

const ROOTS_TIMEOUT_MS = 3000;

export function fixedProjectDir(flagDir: string | undefined, env: NodeJS.ProcessEnv = process.env): ProjectDir | undefined {
  if (flagDir) return { dir: flagDir, source: 'flag' };
  if (env.FLOW_DIR) return { dir: env.FLOW_DIR, source: 'env' };
  return undefined;
}

export async function resolveProjectDir(flagDir: string | undefined, server: Server): Promise<ProjectDir> {
  const fixed = fixedProjectDir(flagDir);
  if (fixed) return fixed;
  if (server.getClientCapabilities()?.roots) {
    try {
      const { roots } = await server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      const first = roots.find((r) => r.uri.startsWith('file://'));
      if (first) return { dir: fileURLToPath(first.uri), source: 'roots' };
    } catch (e) {
      log.warn(`client roots unavailable (${(e as Error).message}); using the working directory`);
    }
  }
  return { dir: process.cwd(), source: 'cwd' };
}
