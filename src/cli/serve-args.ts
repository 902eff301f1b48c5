// The `flowmcp serve` command line (and its environment) as typed options: stdio by default, HTTP
// with --http. The token comes only from FLOW_TOKEN, never a flag, so it stays out of `ps`.
import { z } from 'zod';
import type { HttpOptions } from '../server/http.js';
import { FlowError } from '../model/errors.js';

const list = z
  .union([z.string(), z.array(z.union([z.string(), z.literal(true)]))])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean)));
const seconds = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `--${name} takes a number of seconds` })
    .positive(`--${name} must be more than 0`)
    .optional()
    .transform((v) => v ?? fallback);

export const ServeFlags = z.object({
  http: z.literal(true, { error: '--http takes no value' }).optional(),
  host: z.string().min(1).optional(),
  port: z.coerce.number({ error: '--port takes a number' }).int().min(0).max(65535, '--port must be 0-65535').optional(),
  idle_seconds: seconds('idle-seconds', 1800),
  drain_seconds: seconds('drain-seconds', 10),
  allowed_hosts: list,
  allowed_origins: list,
  max_sessions: z.coerce
    .number({ error: '--max-sessions takes a number' })
    .int('--max-sessions takes a whole number')
    .min(1, '--max-sessions must be at least 1')
    .max(100_000, '--max-sessions must be at most 100000')
    .optional(),
});

export type ServeMode = { mode: 'stdio' } | { mode: 'http'; options: Omit<HttpOptions, 'dir'> };

/** What to serve; throws a message saying what to write instead when a flag is wrong. */
export function serveMode(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): ServeMode {
  const parsed = ServeFlags.safeParse(flags);
  if (!parsed.success) throw new FlowError('invalid_input', parsed.error.issues.map((i) => i.message).join('; '), 'flowmcp help lists the serve flags.');
  const f = parsed.data;
  const httpOnly = ['host', 'port', 'max_sessions'].filter((k) => f[k as 'host' | 'port' | 'max_sessions'] !== undefined).map((k) => k.replace('_', '-'));
  if (!f.http) {
    if (httpOnly.length) throw new FlowError('invalid_input', `--${httpOnly[0]} only applies to HTTP: add --http (flowmcp serve --http --port 8765).`);
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
    },
  };
}
