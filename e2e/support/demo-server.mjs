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
 * Starts the static server.
 * @param {object} [options]
 * @param {number} [options.port] Default 0 (ephemeral).
 * @param {string} [options.root] Default `dist/demo/browser`.
 * @param {object | string | null} [options.config] The initial `/auth.config.json`; see `setConfig`.
 * @returns {Promise<{ url: string, origin: string, setConfig(config: object | string | null): void,
 *   close(): Promise<void> }>} `setConfig`: an object is served as JSON, a string verbatim (to test malformed
 *   files), `null` as a 404 (an unreachable config). It applies to the next request.
 */
export async function startDemoServer({ port = 0, root = DEMO_DIST, config = null } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`No demo build at ${root}. Build it first: npm run build:demo`);
  }
  let currentConfig = config;

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
    const { pathname } = new URL(req.url, `http://${HOST}`);
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
      send(res, 200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
      return;
    }
    // A path with an extension is a missing asset; anything else is a route of the app (SPA fallback).
    if (extname(pathname)) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    send(res, 200, CONTENT_TYPES['.html'], await readFile(join(root, 'index.html')));
  }

  const actualPort = await listen(server, port, 'demo static server');
  const origin = `http://${HOST}:${actualPort}`;
  return {
    url: `${origin}/`,
    origin,
    setConfig(next) {
      currentConfig = next;
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
