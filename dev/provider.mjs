/**
 * `npm run dev-provider -- --app http://localhost:4200`: the local OpenID provider and the demo API for an app of
 * your own, without the demo app. Each `--app` (an origin, or a base URL such as `http://localhost:4200/app/` for
 * an app under a sub-path; repeatable; default `http://localhost:4200`, where `ng serve` runs) gets its base URL
 * and base + `silent-callback.html` as redirect URIs, and its origin may call the demo API. Prints the config to
 * paste into `provideImplicitAuth({ … }, withSilentRenew(), withTabSync())`; Ctrl-C (or SIGTERM) stops both servers.
 *
 * Environment: IDP_PORT (4400), API_PORT (4401) (0: any free port, printed), ACCESS_TOKEN_TTL and ID_TOKEN_TTL
 * (seconds, default 3600), DEV_KEYS_DIR (where the signing key lives, default dev/.keys).
 */
import { parseArgs } from 'node:util';

import { DEFAULT_API_PORT, DEFAULT_APP_PORT, DEFAULT_IDP_PORT, DEMO_API_AUDIENCE } from './defaults.mjs';
import { DEMO_USERS } from './demo-users.mjs';
import { HOST, PortInUseError, assertPortFree, portFromEnv, secondsFromEnv } from './http-server.mjs';

/** The scope the printed config asks for: the ID token's claims and the demo API's read scope. */
const SCOPE = 'openid profile email read:messages';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

let settings;
try {
  const { values } = parseArgs({
    options: { app: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run dev-provider -- [--app <app URL>]… (default --app http://localhost:4200)');
    process.exit(0);
  }
  settings = {
    apps: (values.app ?? [`http://${HOST}:${DEFAULT_APP_PORT}`]).map(parseAppUrl),
    idpPort: portFromEnv('IDP_PORT', DEFAULT_IDP_PORT),
    apiPort: portFromEnv('API_PORT', DEFAULT_API_PORT),
    accessTokenTtl: secondsFromEnv('ACCESS_TOKEN_TTL', 3600),
    idTokenTtl: secondsFromEnv('ID_TOKEN_TTL', 3600),
    keysDir: process.env.DEV_KEYS_DIR || undefined,
  };
  // Check both ports before starting anything, so a clash is one clear line and not a half-started pair.
  if (settings.idpPort !== 0) await assertPortFree(settings.idpPort, 'dev IdP', 'IDP_PORT');
  if (settings.apiPort !== 0) await assertPortFree(settings.apiPort, 'demo API', 'API_PORT');
} catch (error) {
  // A bad argument, a bad variable or a taken port: one line for the person who typed the command.
  if (error instanceof PortInUseError || error instanceof RangeError || error.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Loaded only now: importing oidc-provider prints notices that would bury a one-line argument error.
const { appBaseUrl, startIdp } = await import('./idp.mjs');
const { startApi } = await import('./api.mjs');

const bases = settings.apps.map((url) => appBaseUrl(url.href));
const idp = await startIdp({
  port: settings.idpPort,
  appOrigins: bases,
  accessTokenTtl: settings.accessTokenTtl,
  idTokenTtl: settings.idTokenTtl,
  ...(settings.keysDir ? { keysDir: settings.keysDir } : {}),
});
const api = await startApi({
  port: settings.apiPort,
  issuer: idp.issuer,
  appOrigins: bases,
  onRequest: ({ method, path, status, sub }) =>
    console.log(`[api] ${method} ${path} → ${status}${sub ? ` (${sub})` : ''}`),
});

console.log(banner());

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // A second Ctrl-C while shutting down means "now".
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\nStopping (${signal})…`);
    void Promise.allSettled([idp.close(), api.close()]).then(() => process.exit(0));
  });
}

/**
 * An app URL the dev provider can serve: http(s) on a loopback host (the provider relaxes oidc-provider's
 * https rule for loopback redirect URIs only), without query or fragment.
 */
function parseAppUrl(value) {
  const url = URL.parse(value);
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new RangeError(`--app ${value}: give the app's URL, e.g. --app http://localhost:4200`);
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new RangeError(`--app ${value}: the dev provider serves apps on this machine only (localhost).`);
  }
  return url;
}

function banner() {
  const users = DEMO_USERS.map((user) => `${user.sub} / ${user.password} (${user.claims.name})`).join(', ');
  const lines = [
    '',
    'ngx-implicit-auth dev provider',
    `  OpenID provider  ${idp.issuer}  (discovery: ${idp.issuer}/.well-known/openid-configuration)`,
    `  demo API         ${api.url}/api/public · /api/messages (read:messages) · /api/admin (write:messages)`,
    ...bases.map(
      (base, i) =>
        `  ${i === 0 ? 'app' : '   '}              ${base}  (redirect URIs ${base} and ${base}silent-callback.html)`,
    ),
    `  demo users       ${users}`,
    `  token lifetimes  access ${settings.accessTokenTtl} s, ID ${settings.idTokenTtl} s (ACCESS_TOKEN_TTL, ID_TOKEN_TTL)`,
  ];
  for (const base of bases) {
    const url = new URL(base);
    if (url.hostname !== HOST) {
      lines.push(
        `  Note: ${url.origin} is not on ${HOST}, the provider's host name: browsers drop the provider's session`,
        '  cookie in the silent-renewal iframe there, so a reload signs out. Serve the app on localhost.',
      );
    }
  }
  lines.push('', `Paste into provideImplicitAuth({ … }, …) for ${bases[0]}:`, '', ...configLines(bases[0]), '');
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

/** The config for an app at `base`, as TypeScript object members. */
function configLines(base) {
  const quote = (value) => `'${value}'`;
  const lines = [
    `  issuer: ${quote(idp.issuer)},`,
    `  clientId: ${quote(idp.clientId)},`,
    `  audience: ${quote(DEMO_API_AUDIENCE)},`,
    `  scope: ${quote(SCOPE)},`,
    `  apis: [{ url: ${quote(`${api.url}/api`)} }],`,
  ];
  // Under a sub-path the library's origin-based defaults point at the origin's root, not at the app.
  const subPath = new URL(base).pathname !== '/';
  if (subPath) {
    lines.push(`  redirectUri: ${quote(base)},`, `  logout: { postLogoutRedirectUri: ${quote(base)} },`);
  }
  const renew = subPath ? `{ redirectUri: ${quote(`${base}silent-callback.html`)} }` : '';
  return ['{', ...lines, `}, withSilentRenew(${renew}), withTabSync()`];
}
