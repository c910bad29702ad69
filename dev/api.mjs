/**
 * The demo API, a resource server for the demo app: JSON endpoints that accept only Bearer JWT access
 * tokens from the dev IdP for its audience, and answer failures the way RFC 6750 §3 says.
 *
 *   GET /api/public    no token needed
 *   GET /api/messages  needs `read:messages`
 *   GET /api/admin     needs `write:messages` (the demo user never gets it by default: shows a 403)
 *
 * Run on its own with `node dev/api.mjs` (env: API_PORT, IDP_ISSUER, APP_ORIGINS), or import {@link startApi}.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';

import { HOST, closeServer, listen, parseOrigins, portFromEnv } from './http-server.mjs';
import { DEFAULT_API_PORT, DEFAULT_APP_PORT, DEFAULT_IDP_PORT, DEMO_API_AUDIENCE } from './defaults.mjs';

const REALM = 'demo-api';

/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const MESSAGES = Object.freeze([
  { id: 1, from: 'demo-api', text: 'Hello from the demo API: your access token was accepted.' },
  { id: 2, from: 'demo-api', text: 'This list needs the read:messages scope.' },
]);

/**
 * The endpoints, each with the scope it needs (`null`: public). Kept as data so that 404 and 405 answers
 * and the CORS preflight agree with what actually exists.
 */
const ROUTES = {
  '/api/public': {
    GET: { scope: null, handle: () => ({ message: 'Anyone may read this; no token needed.' }) },
  },
  '/api/messages': {
    GET: { scope: 'read:messages', handle: ({ claims }) => ({ messages: MESSAGES, sub: claims.sub }) },
  },
  '/api/admin': {
    GET: { scope: 'write:messages', handle: ({ claims }) => ({ message: `Welcome, administrator ${claims.sub}.` }) },
  },
};

/**
 * Starts the API.
 * @param {object} options
 * @param {number} [options.port] 0 for an ephemeral port. Default 4401.
 * @param {string} options.issuer The IdP whose tokens are accepted; its JWKS is found through discovery.
 * @param {string} [options.audience] Default `urn:ngx-implicit-auth:demo-api`.
 * @param {string[]} [options.appOrigins] Origins allowed by CORS. Default `http://localhost:4200`.
 * @param {(entry: { method: string, path: string, status: number, sub?: string }) => void} [options.onRequest]
 *   Called after each answer, e.g. for an access log. Never sees the token.
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startApi({
  port = DEFAULT_API_PORT,
  issuer,
  audience = DEMO_API_AUDIENCE,
  appOrigins = [`http://${HOST}:${DEFAULT_APP_PORT}`],
  onRequest = () => {},
} = {}) {
  if (!issuer) throw new TypeError('startApi: issuer is required');
  const origins = new Set(appOrigins.map((origin) => new URL(origin).origin));
  const verifyAccessToken = createAccessTokenVerifier({ issuer, audience });

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error(`demo API error: ${error.stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  });

  async function handle(req, res) {
    const { pathname } = new URL(req.url, `http://${HOST}`);
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      // The app must be able to read why a call was refused (RFC 6750 error codes live in this header).
      res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
    res.setHeader('Vary', 'Origin');

    const methods = ROUTES[pathname];
    if (req.method === 'OPTIONS' && methods) {
      // Preflight for a cross-origin call with an Authorization header. For other origins the answer
      // carries no CORS headers and the browser blocks the call.
      if (origin && origins.has(origin)) {
        res.setHeader('Access-Control-Allow-Methods', Object.keys(methods).join(', '));
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(204).end();
      return;
    }

    const route = methods?.[req.method];
    if (!route) {
      const status = methods ? 405 : 404;
      if (methods) res.setHeader('Allow', [...Object.keys(methods), 'OPTIONS'].join(', '));
      sendJson(res, status, { error: status === 404 ? 'not_found' : 'method_not_allowed' });
      onRequest({ method: req.method, path: pathname, status });
      return;
    }

    let claims = {};
    if (route.scope) {
      const outcome = await authorize(req.headers.authorization, route.scope, verifyAccessToken);
      if (outcome.status !== 200) {
        res.setHeader('WWW-Authenticate', outcome.challenge);
        sendJson(res, outcome.status, outcome.body);
        onRequest({ method: req.method, path: pathname, status: outcome.status });
        return;
      }
      claims = outcome.claims;
    }
    sendJson(res, 200, route.handle({ claims }));
    onRequest({ method: req.method, path: pathname, status: 200, sub: claims.sub });
  }

  const actualPort = await listen(server, port, 'demo API', 'API_PORT');
  return { url: `http://${HOST}:${actualPort}`, close: () => closeServer(server) };
}

/**
 * Checks the Authorization header against a required scope.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
async function authorize(header, scope, verifyAccessToken) {
  const [scheme, token, ...rest] = (header ?? '').trim().split(/\s+/);
  // §3.1: a request without any Bearer credentials gets a bare challenge, no error code.
  if (!header || scheme.toLowerCase() !== 'bearer') {
    return refuse(401, null, 'no Bearer access token');
  }
  if (!token || rest.length > 0 || !B64TOKEN.test(token)) {
    return refuse(400, 'invalid_request', 'the Authorization header is not "Bearer <token>"');
  }

  let claims;
  try {
    claims = await verifyAccessToken(token);
  } catch (error) {
    // The IdP's keys could not be fetched: the token may be fine, so this is our failure, not a 401.
    if (error instanceof joseErrors.JWKSTimeout || error instanceof TypeError) {
      return { status: 503, challenge: `Bearer realm="${REALM}"`, body: { error: 'temporarily_unavailable' } };
    }
    return refuse(401, 'invalid_token', describeVerificationError(error));
  }

  const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!granted.includes(scope)) {
    return refuse(403, 'insufficient_scope', `this call needs the ${scope} scope`, scope);
  }
  return { status: 200, claims };
}

/** An RFC 6750 §3 refusal: the challenge header and the same error as JSON. */
function refuse(status, error, description, scope) {
  const params = [`realm="${REALM}"`];
  if (error) {
    params.push(`error="${error}"`, `error_description="${description.replace(/["\\]/g, '')}"`);
    if (scope) params.push(`scope="${scope}"`);
  }
  const body = error
    ? { error, error_description: description }
    : { error: 'unauthorized', error_description: description };
  return { status, challenge: `Bearer ${params.join(', ')}`, body };
}

/**
 * Verifies an RFC 9068 JWT access token: signature with the issuer's keys, `iss`, `aud`, `typ: at+jwt`
 * (so an ID token cannot be replayed as an access token), `exp`, and the claims RFC 9068 requires.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export function createAccessTokenVerifier({ issuer, audience }) {
  let jwks;
  return async (token) => {
    // Discover the JWKS URI on first use rather than at start-up, so the API may start before the IdP.
    jwks ??= await discoverJwks(issuer).catch((error) => {
      jwks = undefined;
      throw error;
    });
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['RS256', 'PS256', 'ES256'],
      requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
      clockTolerance: 5,
    });
    return payload;
  };
}

async function discoverJwks(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new TypeError(`discovery at ${issuer} answered ${response.status}`);
  const { jwks_uri: jwksUri } = await response.json();
  return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000 });
}

/** A short reason for the `error_description`: which check failed, never the token itself. */
function describeVerificationError(error) {
  if (error instanceof joseErrors.JWTExpired) return 'the access token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the access token is for another audience';
    if (error.claim === 'iss') return 'the access token is from another issuer';
    if (error.claim === 'typ') return 'the token is not an access token (typ must be at+jwt)';
    return `the access token's ${error.claim} claim is invalid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the access token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the access token is signed with an unknown key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the access token uses a refused algorithm';
  return 'the access token is malformed';
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = await startApi({
    port: portFromEnv('API_PORT', DEFAULT_API_PORT),
    issuer: process.env.IDP_ISSUER ?? `http://${HOST}:${DEFAULT_IDP_PORT}`,
    appOrigins: parseOrigins(process.env.APP_ORIGINS ?? `http://${HOST}:${DEFAULT_APP_PORT}`),
  });
  console.log(`demo API listening at ${api.url}`);
}
