/**
 * The loopback JSON endpoint the interceptor bench calls: one tiny constant answer, no token checks, so that the
 * server does the same work whether a request carries a token or not and only the client side differs.
 *
 * It sits on its own origin, as APIs usually do, so a request with `Authorization` is a non-simple CORS request.
 * Preflights are allowed to be cached for 10 minutes: after the warm-up the browser sends none, and the timed
 * calls compare the interceptor's work, not CORS round trips. `counts.preflights` proves that afterwards.
 */
import { createServer } from 'node:http';

import { HOST, closeServer, listen } from '../../dev/http-server.mjs';

export const ENDPOINT_PATH = '/api/ping';
/** Exactly what the bench page expects back (it checks every answer). */
const BODY = '{"ok":true}';

/**
 * @param {{ appOrigins: string[] }} options The origins allowed by CORS.
 * @returns {Promise<{ origin: string, apiBase: string, endpoint: string,
 *   counts: { calls: number, authorized: number, preflights: number }, resetCounts(): void, close(): Promise<void> }>}
 *   `apiBase` is what the page configures in `apis`; `endpoint` the URL it calls.
 */
export async function startJsonEndpoint({ appOrigins }) {
  const allowed = new Set(appOrigins);
  const counts = { calls: 0, authorized: 0, preflights: 0 };

  const server = createServer((req, res) => {
    req.resume();
    const origin = req.headers.origin;
    const cors = origin && allowed.has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    const { pathname } = new URL(req.url, `http://${HOST}`);
    if (pathname !== ENDPOINT_PATH) {
      res.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method === 'OPTIONS') {
      counts.preflights++;
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'Authorization',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    counts.calls++;
    if (/^Bearer \S+$/.test(req.headers.authorization ?? '')) counts.authorized++;
    // no-store: every timed call must reach the server, never the HTTP cache.
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(BODY);
  });

  const origin = `http://${HOST}:${await listen(server, 0, 'bench JSON endpoint')}`;
  return {
    origin,
    apiBase: `${origin}/api`,
    endpoint: `${origin}${ENDPOINT_PATH}`,
    counts,
    resetCounts() {
      Object.assign(counts, { calls: 0, authorized: 0, preflights: 0 });
    },
    close: () => closeServer(server),
  };
}
