// The HTTP limits on the serve command line: parsed once by the zod schema, wrong values refused with a
// message naming the flag, and only with --http.
import { describe, expect, it } from 'vitest';
import { ServeFlags, serveMode } from '../../src/cli/serve-args.js';

/** The command line as the serve command gets it: parsed once by the flag schema, then turned into a mode. */
const mode = (flags: Record<string, unknown>) => serveMode(ServeFlags.parse(flags), {});

describe('serve flags: HTTP limits', () => {
  it('turns megabytes into bytes and passes seconds and counts through', () => {
    const m = mode({ http: true, max_body_mb: '0.5', body_buffer_mb: '2', body_timeout_seconds: '1', max_connections: '10' });
    expect(m.mode).toBe('http');
    if (m.mode !== 'http') return;
    expect(m.options).toMatchObject({ maxBodyBytes: 512 * 1024, bodyBufferBytes: 2 * 1024 * 1024, bodyTimeoutSeconds: 1, maxConnections: 10 });
    const d = mode({ http: true });
    if (d.mode === 'http') expect(d.options.maxBodyBytes).toBeUndefined(); // the server's defaults apply
  });

  it('refuses bad values, and the limits without --http', () => {
    expect(() => mode({ http: true, max_body_mb: '0' })).toThrow(/--max-body-mb must be more than 0/);
    expect(() => mode({ http: true, body_buffer_mb: 'lots' })).toThrow(/--body-buffer-mb takes a number of megabytes/);
    expect(() => mode({ http: true, max_connections: '1.5' })).toThrow(/--max-connections takes a whole number/);
    expect(() => mode({ http: true, body_timeout_seconds: '-1' })).toThrow(/--body-timeout-seconds must be more than 0/);
    expect(() => mode({ body_timeout_seconds: '5' })).toThrow(/--body-timeout-seconds only applies to HTTP/);
    expect(() => mode({ secure_cookie: true })).toThrow(/--secure-cookie only applies to HTTP/);
  });
});
