// The client's MCP roots as a lookup for project.ts: asked only when --dir and FLOW_DIR are absent,
// never during the handshake, and bounded so a client that never answers cannot stall the first call.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { log } from '../log.js';
import type { RootsLookup } from '../project.js';

const ROOTS_TIMEOUT_MS = 3000;

export function clientRoots(server: Server): RootsLookup {
  return async () => {
    if (!server.getClientCapabilities()?.roots) return [];
    try {
      const { roots } = await server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      return roots.map((r) => r.uri);
    } catch (e) {
      log.warn(`client roots unavailable (${(e as Error).message}); using the working directory`);
      return [];
    }
  };
}
