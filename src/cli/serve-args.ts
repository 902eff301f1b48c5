// The `flowmcp serve` flags (and its environment) as typed options: stdio by default, HTTP with
// --http. The token comes only from FLOW_TOKEN, never a flag, so it stays out of `ps`.
import { z } from 'zod';
import type { HttpOptions } from '../server/http.js';
import { onOff, UsageError } from './command.js';

const list = (help: string) =>
  z
    .union([z.string(), z.array(z.union([z.string(), z.literal(true)]))])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean)))
    .meta({ value: 'a,b', help });
const seconds = (name: string, fallback: number, help: string) =>
  z.coerce
    .number({ error: `--${name} takes a number of seconds` })
    .positive(`--${name} must be more than 0`)
    .optional()
    .transform((v) => v ?? fallback)
    .meta({ value: 'S', help: `${help} (${fallback} by default)` });

const megabytes = (name: string, max: number, help: string) =>
  z.coerce
    .number({ error: `--${name} takes a number of megabytes` })
    .positive(`--${name} must be more than 0`)
    .max(max, `--${name} must be at most ${max}`)
    .optional()
    .transform((v) => (v === undefined ? undefined : Math.round(v * 1024 * 1024)))
    .meta({ value: 'MB', help });

export const ServeFlags = z.object({
  http: onOff('http', 'serve MCP over Streamable HTTP instead of stdio'),
  host: z.string().min(1).optional().meta({ value: 'H', help: 'address to listen on (127.0.0.1 by default; beyond loopback needs FLOW_TOKEN)' }),
  port: z.coerce.number({ error: '--port takes a number' }).int().min(0).max(65535, '--port must be 0-65535').optional().meta({ value: 'P', help: 'port to listen on (8765 by default, 0 for any free one)' }),
  idle_seconds: seconds('idle-seconds', 1800, 'close a session after this long without a request'),
  drain_seconds: seconds('drain-seconds', 10, 'on SIGINT/SIGTERM, how long requests in flight may take to finish'),
  max_sessions: z.coerce
    .number({ error: '--max-sessions takes a number' })
    .int('--max-sessions takes a whole number')
    .min(1, '--max-sessions must be at least 1')
    .max(100_000, '--max-sessions must be at most 100000')
    .optional()
    .meta({ value: 'N', help: 'most sessions held at once (1000 by default)' }),
  allowed_hosts: list('Host headers accepted besides loopback names'),
  allowed_origins: list('Origin headers accepted besides loopback pages'),
  max_body_mb: megabytes('max-body-mb', 1024, 'largest request body (16 by default; larger gets 413)'),
  body_buffer_mb: megabytes('body-buffer-mb', 16 * 1024, 'unfinished request bodies held at once, all together (64 by default; past it, 503)'),
  body_timeout_seconds: z.coerce
    .number({ error: '--body-timeout-seconds takes a number of seconds' })
    .positive('--body-timeout-seconds must be more than 0')
    .max(3600, '--body-timeout-seconds must be at most 3600')
    .optional()
    .meta({ value: 'S', help: 'a request body that stops arriving this long gets 408 (30 by default)' }),
  max_connections: z.coerce
    .number({ error: '--max-connections takes a number' })
    .int('--max-connections takes a whole number')
    .min(1, '--max-connections must be at least 1')
    .max(1_000_000, '--max-connections must be at most 1000000')
    .optional()
    .meta({ value: 'N', help: 'most open connections (1024 by default)' }),
  max_event_streams: z.coerce
    .number({ error: '--max-event-streams takes a number' })
    .int('--max-event-streams takes a whole number')
    .min(1, '--max-event-streams must be at least 1')
    .max(100_000, '--max-event-streams must be at most 100000')
    .optional()
    .meta({ value: 'N', help: 'most GET /events streams open at once (100 by default; past it, 503)' }),
  secure_cookie: onOff('secure-cookie', "mark the web page's cookie Secure (the page is reached over https through a proxy)"),
});

const HTTP_ONLY = ['secure_cookie', 'host', 'port', 'max_sessions', 'max_body_mb', 'body_buffer_mb', 'body_timeout_seconds', 'max_connections', 'max_event_streams'] as const;
export type ServeFlagValues = z.output<typeof ServeFlags>;

export type ServeMode = { mode: 'stdio' } | { mode: 'http'; options: Omit<HttpOptions, 'dir'> };

/** What to serve; a flag that only HTTP takes, given without --http, says what to write instead. */
export function serveMode(f: ServeFlagValues, env: NodeJS.ProcessEnv = process.env): ServeMode {
  const httpOnly = HTTP_ONLY.filter((k) => f[k] !== undefined).map((k) => k.replaceAll('_', '-'));
  if (!f.http) {
    if (httpOnly.length) throw new UsageError(`serve: --${httpOnly[0]} only applies to HTTP: add --http (flowmcp serve --http --port 8765).`);
    return { mode: 'stdio' };
  }
  return {
    mode: 'http',
    options: {
      host: f.host ?? '127.0.0.1',
      port: f.port ?? 8765,
      ...(env.FLOW_TOKEN ? { token: env.FLOW_TOKEN } : {}),
      idleSeconds: f.idle_seconds,
      drainSeconds: f.drain_seconds,
      allowedHosts: f.allowed_hosts,
      allowedOrigins: f.allowed_origins,
      ...(f.max_sessions !== undefined ? { maxSessions: f.max_sessions } : {}),
      ...(f.max_body_mb !== undefined ? { maxBodyBytes: f.max_body_mb } : {}),
      ...(f.body_buffer_mb !== undefined ? { bodyBufferBytes: f.body_buffer_mb } : {}),
      ...(f.body_timeout_seconds !== undefined ? { bodyTimeoutSeconds: f.body_timeout_seconds } : {}),
      ...(f.max_connections !== undefined ? { maxConnections: f.max_connections } : {}),
      ...(f.max_event_streams !== undefined ? { maxEventStreams: f.max_event_streams } : {}),
      ...(f.secure_cookie ? { secureCookie: true } : {}),
    },
  };
}
