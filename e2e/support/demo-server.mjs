/**
 * Serves the production build of the demo (`dist/demo/browser`) the way a static host would: files as they
 * are, index.html for the app's own routes. `/auth.config.json` is whatever the test set, so one build runs
 * against the dev IdP, the test OP, or a deliberately broken configuration.
 */
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { HOST, closeServer, listen } from '../../dev/http-server.mjs';

export const DEMO_DIST = fileURLToPath(new URL('../../dist/demo/browser/', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * What a broken asset does instead of being served (see `setAssetFault`). `hang`: the request is accepted and
 * never answered (until `releaseHangingRequests()` or `close()`), as a stalled CDN or captive network does.
 * `http_500`: a 500 with a text body. `refuse`: the connection is closed without any answer (a reset, what a
 * crashed server or a dropped connection looks like to the browser).
 */
export const ASSET_FAULTS = Object.freeze(['hang', 'http_500', 'refuse']);

/**
 * Starts the static server.
 * @param {object} [options]
 * @param {number} [options.port] Default 0 (ephemeral).
 * @param {string} [options.root] Default `dist/demo/browser`.
 * @param {object | string | null} [options.config] The initial `/auth.config.json`; see `setConfig`.
 * @param {string} [options.basePath] Where the app is published, e.g. `/app/` for an app under a sub-path: files
 *   (and `auth.config.json`) are served under it, index.html gets `<base href="/app/">` as a build with
 *   `--base-href /app/` would, and everything outside it is a 404. Default `/`.
 * @returns {Promise<{ url: string, origin: string, setConfig(config: object | string | null): void,
 *   requests: { path: string, time: number }[], setAssetFault(match: (path: string) => boolean, fault: string):
 *   void, clearAssetFaults(): void, releaseHangingRequests(): void, close(): Promise<void> }>}
 *   `setConfig`: an object is served as JSON, a string verbatim (to test malformed files), `null` as a 404 (an
 *   unreachable config). It applies to the next request. `requests`: every request's path, oldest first (to
 *   find, at run time, which chunk the app loaded on demand). `setAssetFault(match, fault)`: every following
 *   request whose path `match` accepts gets `fault` (see {@link ASSET_FAULTS}) instead of the file;
 *   `clearAssetFaults()` repairs them; `releaseHangingRequests()` serves the files the `hang` fault held.
 */
export async function startDemoServer({ port = 0, root = DEMO_DIST, config = null, basePath = '/' } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`No demo build at ${root}. Build it first: npm run build:demo`);
  }
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) throw new Error(`basePath ${basePath}: use /path/`);
  let currentConfig = config;
  const requests = [];
  /** `{ match, fault }`, the first matching one applies. */
  let assetFaults = [];
  /** Held requests (`hang`), each with the function that serves it normally. */
  const hanging = new Map();

  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(error));
    });
  });

  async function serve(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
      return;
    }
    const { pathname: requestPath } = new URL(req.url, `http://${HOST}`);
    requests.push({ path: requestPath, time: Date.now() });
    // Outside the base path there is nothing: not the app, not silent-callback.html.
    if (!requestPath.startsWith(basePath)) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    const pathname = `/${requestPath.slice(basePath.length)}`;
    const fault = assetFaults.find(({ match }) => match(pathname))?.fault;
    if (fault === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (fault === 'http_500') {
      send(res, 500, 'text/plain; charset=utf-8', 'internal server error');
      return;
    }
    if (fault === 'hang') {
      hanging.set(res, () => serveFile(res, pathname));
      res.on('close', () => hanging.delete(res));
      return;
    }
    await serveFile(res, pathname);
  }

  async function serveFile(res, pathname) {
    if (pathname === '/auth.config.json') {
      if (currentConfig === null) send(res, 404, 'text/plain; charset=utf-8', 'not found');
      else {
        const body = typeof currentConfig === 'string' ? currentConfig : JSON.stringify(currentConfig, null, 2);
        send(res, 200, CONTENT_TYPES['.json'], body);
      }
      return;
    }
    const file = await resolveFile(root, pathname);
    if (file) {
      const body = file === join(root, 'index.html') ? await indexHtml() : await readFile(file);
      send(res, 200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body);
      return;
    }
    // A path with an extension is a missing asset; anything else is a route of the app (SPA fallback).
    if (extname(pathname)) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    send(res, 200, CONTENT_TYPES['.html'], await indexHtml());
  }

  async function indexHtml() {
    const html = await readFile(join(root, 'index.html'), 'utf8');
    return basePath === '/' ? html : html.replace('<base href="/">', `<base href="${basePath}">`);
  }

  const actualPort = await listen(server, port, 'demo static server');
  const origin = `http://${HOST}:${actualPort}`;
  return {
    url: `${origin}${basePath}`,
    origin,
    setConfig(next) {
      currentConfig = next;
    },
    requests,
    setAssetFault(match, fault) {
      if (!ASSET_FAULTS.includes(fault)) {
        throw new Error(`Unknown demo server fault "${fault}"; known: ${ASSET_FAULTS.join(', ')}`);
      }
      assetFaults = [...assetFaults, { match, fault }];
    },
    clearAssetFaults() {
      assetFaults = [];
    },
    releaseHangingRequests() {
      const held = [...hanging.values()];
      hanging.clear();
      for (const serveHeld of held) serveHeld().catch(() => {});
    },
    close: () => closeServer(server),
  };
}

/** The file under `root` for a URL path, or undefined; never a file outside `root`. */
async function resolveFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Malformed percent-encoding cannot name a file.
    return undefined;
  }
  const file = normalize(join(root, decoded));
  if (!file.startsWith(normalize(root).replace(/[\\/]?$/, sep))) return undefined;
  // A path that names no file is simply not found (the SPA fallback decides what to serve).
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? file : undefined;
}

function send(res, status, contentType, body) {
  // no-store: every test gets exactly the config it set, never one a previous page load cached.
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * A stand-in for the app when a test only needs an origin to be redirected to (IdP and API tests do not
 * depend on the demo build): every path answers the same empty page.
 */
export async function startBlankAppServer({ port = 0 } = {}) {
  const server = createServer((_req, res) => {
    send(res, 200, CONTENT_TYPES['.html'], '<!doctype html><html lang="en"><title>app</title><body></body></html>');
  });
  const origin = `http://${HOST}:${await listen(server, port, 'blank app server')}`;
  return { url: `${origin}/`, origin, close: () => closeServer(server) };
}
