/**
 * Small helpers shared by the dev servers and the e2e fixtures: listening on `localhost` with a readable
 * error when the port is taken, closing without waiting for idle keep-alive sockets, and reading bodies.
 */
import { createServer } from 'node:net';

/** The one host name every server listens on and every URL uses (see dev/README.md: silent renew). */
export const HOST = 'localhost';

/** A port someone else already listens on. `message` is one line meant for a person. */
export class PortInUseError extends Error {
  code = 'EADDRINUSE';

  constructor(port, what = 'server', envVar = undefined) {
    const hint = envVar ? ` Stop the other process or choose another port with ${envVar}=<port>.` : '';
    super(`Port ${port} on ${HOST} is already in use, so the ${what} cannot start.${hint}`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/**
 * Starts `server` on `localhost:port` (0 = an ephemeral port) and resolves with the port it got.
 * An occupied port rejects with {@link PortInUseError} instead of an unhandled 'error' event. `host` is for
 * the rare test that needs another loopback host name (e.g. `127.0.0.1`, a different site from `localhost`).
 */
export function listen(server, port, what = 'server', envVar = undefined, host = HOST) {
  return new Promise((resolve, reject) => {
    const onError = (error) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, what, envVar) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Checks that nothing listens on `port` by binding it for a moment. Used before starting anything, so a
 * clash is reported before half of the processes are up.
 */
export async function assertPortFree(port, what, envVar) {
  const probe = createServer();
  await listen(probe, port, what, envVar);
  await new Promise((resolve) => probe.close(resolve));
}

/**
 * Stops accepting connections and drops the open ones: browsers keep sockets alive, and a test OP may be
 * holding a request on purpose (`never_answer`), so a plain `close()` could wait forever.
 */
export function closeServer(server) {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Reads a request body up to `limit` bytes; a larger body rejects with `statusCode` 413. */
export async function readBody(req, limit = 16 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      throw Object.assign(new Error('request body too large'), { statusCode: 413 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a comma-separated env list of origins into normalised origins (`http://localhost:4200`). */
export function parseOrigins(value) {
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => new URL(origin).origin);
}

/** A TCP port from the environment (0 allowed: ephemeral), or `fallback` when unset. */
export function portFromEnv(name, fallback) {
  return wholeNumberFromEnv(name, fallback, 0, 65535, 'a port number (0-65535)');
}

/** A positive number of seconds from the environment, or `fallback` when unset. */
export function secondsFromEnv(name, fallback) {
  return wholeNumberFromEnv(name, fallback, 1, Number.MAX_SAFE_INTEGER, 'a positive whole number of seconds');
}

function wholeNumberFromEnv(name, fallback, min, max, expected) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name}=${raw} is not ${expected}.`);
  }
  return value;
}
