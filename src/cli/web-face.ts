// Mounts the web page (src/web/) on the HTTP server: the CLI is what starts both faces, so the server
// itself never imports the page. The built page lives beside the bundle, in dist/web/.
import { fileURLToPath } from 'node:url';
import type { HttpOptions } from '../server/http.js';
import { createWebFace } from '../web/face.js';

export const webFace: NonNullable<HttpOptions['face']> = (ws, port, hooks) => createWebFace({ ws, port, onSignOut: () => hooks.signInEnded(), secureCookie: hooks.secureCookie, tokenSet: hooks.tokenSet, assetsDir: fileURLToPath(new URL('./web/', import.meta.url)) });
