/**
 * The local OpenID provider for the demo and the e2e tests, built on oidc-provider: the implicit flow
 * (`id_token token` and `id_token`), one public client, JWT access tokens for the demo API, a sign-in and
 * consent form for the demo users, and RP-initiated logout.
 *
 * Run on its own with `node dev/idp.mjs` (env: IDP_PORT, APP_ORIGINS, ACCESS_TOKEN_TTL, ID_TOKEN_TTL), or
 * import {@link startIdp}.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Provider, { errors } from 'oidc-provider';

import { DEFAULT_APP_PORT, DEFAULT_IDP_PORT, DEMO_API_AUDIENCE, DEMO_API_SCOPES, DEMO_CLIENT_ID } from './defaults.mjs';
import { DEMO_USERS, authenticateDemoUser, findDemoUser } from './demo-users.mjs';
import { HOST, closeServer, listen, parseOrigins, portFromEnv, readBody, secondsFromEnv } from './http-server.mjs';
import { consentPage, errorPage, loginPage, logoutPage, postLogoutPage } from './idp-pages.mjs';
import { loadOrCreateSigningKey } from './signing-keys.mjs';

export const DEFAULT_KEYS_DIR = join(dirname(fileURLToPath(import.meta.url)), '.keys');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Starts the provider.
 * @param {object} options
 * @param {number} [options.port] 0 for an ephemeral port. Default 4400.
 * @param {string} [options.host] The host name it listens on and its issuer uses. Default `localhost`, the
 *   app's: silent renewal needs both on one site. `127.0.0.1` makes it a third-party provider in the
 *   app's iframe, whose session cookie the browser withholds (for tests of that case).
 * @param {string[]} [options.appOrigins] Where apps are served from: an origin (`http://localhost:4200`) or a
 *   base URL with a path for an app under a sub-path (`http://localhost:4200/app/`). Each gets its base URL and
 *   base + `silent-callback.html` as redirect URIs and its base URL as post-logout redirect; its origin may call
 *   the provider's CORS endpoints. Default `http://localhost:4200`.
 * @param {number} [options.accessTokenTtl] Seconds. Default 3600.
 * @param {number} [options.idTokenTtl] Seconds. Default 3600.
 * @param {string} [options.keysDir] Where the signing key lives. Default `dev/.keys`.
 * @param {{ audience: string, scopes: readonly string[] }[]} [options.apis] The resource servers tokens can
 *   be issued for. Default: the demo API with `read:messages` and `write:messages`.
 * @param {(line: string) => void} [options.log] Where server-side failures are reported. Default console.error.
 * @returns {Promise<{ url: string, issuer: string, clientId: string, signingKey: import('jose').JWK,
 *   provider: Provider, close(): Promise<void> }>} `signingKey` is the private JWK, for tests that forge
 *   tokens the provider would have issued.
 */
export async function startIdp({
  port = DEFAULT_IDP_PORT,
  host = HOST,
  appOrigins = [`http://${HOST}:${DEFAULT_APP_PORT}`],
  accessTokenTtl = 3600,
  idTokenTtl = 3600,
  keysDir = DEFAULT_KEYS_DIR,
  apis = [{ audience: DEMO_API_AUDIENCE, scopes: DEMO_API_SCOPES }],
  log = (line) => console.error(line),
} = {}) {
  const { privateJwk } = await loadOrCreateSigningKey(keysDir);
  const server = createServer();
  // Listen first: with port 0 the issuer (and so the provider) is only known once the port is.
  const actualPort = await listen(server, port, 'dev IdP', 'IDP_PORT', host);
  const issuer = `http://${host}:${actualPort}`;

  let provider;
  try {
    provider = createProvider({ issuer, appOrigins, accessTokenTtl, idTokenTtl, privateJwk, apis });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  provider.on('server_error', (_ctx, error) => log(`dev IdP server error: ${error.stack ?? error}`));

  const handleProtocol = provider.callback();
  server.on('request', (req, res) => {
    const { pathname } = new URL(req.url, issuer);
    if (pathname.startsWith('/interaction/')) {
      handleInteraction(provider, req, res, pathname).catch((error) => {
        // The interaction expired or its cookie is missing (e.g. a stale tab): show why instead of a 500.
        if (!res.headersSent) {
          const status = error instanceof errors.OIDCProviderError ? error.statusCode : 500;
          if (status === 500) log(`dev IdP interaction error: ${error.stack ?? error}`);
          sendHtml(res, status, errorPage({ error: error.error ?? 'server_error', description: error.message }));
        } else {
          res.destroy(error);
        }
      });
      return;
    }
    handleProtocol(req, res);
  });

  return {
    url: issuer,
    issuer,
    clientId: DEMO_CLIENT_ID,
    signingKey: privateJwk,
    provider,
    close: () => closeServer(server),
  };
}

function createProvider({ issuer, appOrigins, accessTokenTtl, idTokenTtl, privateJwk, apis }) {
  const bases = appOrigins.map(appBaseUrl);
  const origins = bases.map((base) => new URL(base).origin);
  const apisByAudience = new Map(apis.map((api) => [api.audience, api]));
  const defaultAudience = apis[0]?.audience;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'ngx-implicit-auth demo',
        token_endpoint_auth_method: 'none',
        grant_types: ['implicit'],
        response_types: ['id_token token', 'id_token'],
        redirect_uris: bases.flatMap((base) => [base, `${base}silent-callback.html`]),
        post_logout_redirect_uris: bases,
      },
    ],
    // oidc-provider's default list lacks `id_token token`; `token` alone it does not implement at all.
    responseTypes: ['id_token token', 'id_token'],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, sub) {
      const user = findDemoUser(sub);
      return user && { accountId: user.sub, claims: async () => ({ sub: user.sub, ...user.claims }) };
    },
    // Put the profile and email claims in the ID token for `id_token token` too, as Auth0 and most
    // providers do: the SPA has no other cheap way to show the user's name.
    conformIdTokenClaims: false,
    // Auth0's way to name the API a token is for; mapped onto a resource indicator below.
    extraParams: ['audience'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = logoutPage({ form, host: ctx.host });
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = postLogoutPage({ clientName: ctx.oidc.client?.clientName });
        },
      },
      resourceIndicators: {
        enabled: true,
        // `resource` (RFC 8707) wins when sent; otherwise Auth0's `audience`; otherwise the demo API, so a
        // plain OIDC client still gets a JWT access token. An unknown audience is passed on so that
        // getResourceServerInfo refuses it with invalid_target, as Auth0 refuses an unknown API.
        async defaultResource(ctx, _client, oneOf) {
          if (oneOf) return oneOf;
          return ctx.oidc.params.audience || defaultAudience;
        },
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(_ctx, audience) {
          const api = apisByAudience.get(audience);
          if (!api) throw new errors.InvalidTarget(`unknown audience ${audience}`);
          return {
            audience,
            scope: api.scopes.join(' '),
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: idTokenTtl,
      Interaction: 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      Session: 14 * 24 * 60 * 60,
    },
    // The demo's origins may call the provider's CORS-enabled endpoints (userinfo); nobody else may.
    clientBasedCORS: (_ctx, origin) => origins.includes(origin),
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage({ error: out.error, description: out.error_description });
    },
  });

  relaxImplicitChecksForLoopback(provider);
  return provider;
}

/**
 * An app's base URL, always ending in `/`: `http://localhost:4200` → `http://localhost:4200/`,
 * `http://localhost:4200/app` → `http://localhost:4200/app/` (the `<base href>` of an app under a sub-path).
 */
export function appBaseUrl(appUrl) {
  const { origin, pathname } = new URL(appUrl);
  return `${origin}${pathname.endsWith('/') ? pathname : `${pathname}/`}`;
}

/**
 * oidc-provider refuses implicit clients with http or localhost redirect URIs (good advice in production).
 * This dev provider only ever redirects to the demo on this machine, so exactly those two checks are
 * skipped, and only when every URI of the client is a loopback one.
 */
function relaxImplicitChecksForLoopback(provider) {
  const { Schema } = provider.Client;
  const invalidate = Schema.prototype.invalidate;
  Schema.prototype.invalidate = function invalidateUnlessLoopback(message, code) {
    const uris = [...(this.redirect_uris ?? []), ...(this.post_logout_redirect_uris ?? [])];
    const allLoopback = uris.every((uri) => LOOPBACK_HOSTS.has(URL.parse(uri)?.hostname ?? ''));
    if ((code === 'implicit-force-https' || code === 'implicit-forbid-localhost') && allLoopback) return;
    invalidate.call(this, message, code);
  };
}

/**
 * The sign-in and consent steps (`/interaction/:uid[/login|/confirm|/abort]`), using oidc-provider's
 * interaction API. Unlike oidc-provider's dev form, it checks the password.
 */
async function handleInteraction(provider, req, res, pathname) {
  const [, , uid, action = ''] = pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    throw new errors.InvalidRequest('this sign-in page is stale; start again from the app');
  }
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName ?? details.params.client_id;
  const prompt = details.prompt.name;

  if (req.method === 'GET' && action === '') {
    if (prompt === 'login') {
      sendHtml(res, 200, loginPage({ uid, clientName, users: DEMO_USERS }));
      return;
    }
    if (prompt === 'consent') {
      const { missingOIDCScope = [], missingResourceScopes = {} } = details.prompt.details;
      const userName = findDemoUser(details.session?.accountId)?.claims.name ?? details.session?.accountId;
      const page = consentPage({
        uid,
        clientName,
        userName,
        oidcScopes: missingOIDCScope,
        resourceScopes: missingResourceScopes,
      });
      sendHtml(res, 200, page);
      return;
    }
    throw new errors.InvalidRequest(`the dev IdP has no page for the "${prompt}" prompt`);
  }

  if (req.method === 'GET' && action === 'abort') {
    const result = { error: 'access_denied', error_description: 'The user cancelled the sign-in' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }

  if (req.method === 'POST' && action === 'login' && prompt === 'login') {
    const form = new URLSearchParams(await readBody(req));
    const user = authenticateDemoUser(form.get('login'), form.get('password'));
    if (!user) {
      const error = 'Unknown user name or wrong password.';
      sendHtml(res, 401, loginPage({ uid, clientName, users: DEMO_USERS, login: form.get('login') ?? '', error }));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (req.method === 'POST' && action === 'confirm' && prompt === 'consent') {
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }

  throw new errors.InvalidRequest(`unexpected ${req.method} ${pathname} during the "${prompt}" prompt`);
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: Chromium applies it to the redirect chain that ends at the app's redirect URI.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const idp = await startIdp({
    port: portFromEnv('IDP_PORT', DEFAULT_IDP_PORT),
    appOrigins: parseOrigins(process.env.APP_ORIGINS ?? `http://${HOST}:${DEFAULT_APP_PORT}`),
    accessTokenTtl: secondsFromEnv('ACCESS_TOKEN_TTL', 3600),
    idTokenTtl: secondsFromEnv('ID_TOKEN_TTL', 3600),
  });
  console.log(`dev IdP listening at ${idp.url}`);
}
