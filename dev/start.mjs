/**
 * `npm start`: the local OpenID provider and the demo API in this process, `ng serve` for the demo app as a
 * supervised child, all on `localhost`. Prints where everything is and the demo users; Ctrl-C (or SIGTERM)
 * stops all three, and if `ng serve` dies the servers stop with it.
 *
 * Environment: APP_PORT (4200), IDP_PORT (4400), API_PORT (4401), ACCESS_TOKEN_TTL and ID_TOKEN_TTL
 * (seconds, default 3600; short ones make silent renewal visible).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_API_PORT, DEFAULT_APP_PORT, DEFAULT_IDP_PORT } from './defaults.mjs';
import { DEMO_USERS } from './demo-users.mjs';
import { HOST, PortInUseError, assertPortFree, portFromEnv, secondsFromEnv } from './http-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NG_BIN = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');
const SHUTDOWN_GRACE_MS = 5000;

let settings;
try {
  settings = {
    appPort: portFromEnv('APP_PORT', DEFAULT_APP_PORT),
    idpPort: portFromEnv('IDP_PORT', DEFAULT_IDP_PORT),
    apiPort: portFromEnv('API_PORT', DEFAULT_API_PORT),
    accessTokenTtl: secondsFromEnv('ACCESS_TOKEN_TTL', 3600),
    idTokenTtl: secondsFromEnv('ID_TOKEN_TTL', 3600),
  };
  for (const [name, port] of [
    ['APP_PORT', settings.appPort],
    ['IDP_PORT', settings.idpPort],
    ['API_PORT', settings.apiPort],
  ]) {
    // The demo's auth.config.json and the IdP's redirect URIs name fixed ports: an ephemeral one helps nobody.
    if (port === 0) throw new RangeError(`${name}=0 is not allowed for npm start; choose a fixed port.`);
  }
  // Check every port before starting anything, so a clash is one clear line and not a half-started stack.
  await assertPortFree(settings.appPort, 'demo app', 'APP_PORT');
  await assertPortFree(settings.idpPort, 'dev IdP', 'IDP_PORT');
  await assertPortFree(settings.apiPort, 'demo API', 'API_PORT');
} catch (error) {
  if (error instanceof PortInUseError || error instanceof RangeError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Loaded only now: importing oidc-provider prints notices that would bury a one-line port error.
const { startIdp } = await import('./idp.mjs');
const { startApi } = await import('./api.mjs');

const appOrigin = `http://${HOST}:${settings.appPort}`;
const idp = await startIdp({
  port: settings.idpPort,
  appOrigins: [appOrigin],
  accessTokenTtl: settings.accessTokenTtl,
  idTokenTtl: settings.idTokenTtl,
});
const api = await startApi({
  port: settings.apiPort,
  issuer: idp.issuer,
  appOrigins: [appOrigin],
  onRequest: ({ method, path, status, sub }) =>
    console.log(`[api] ${method} ${path} → ${status}${sub ? ` (${sub})` : ''}`),
});

// ng serve gets its own process group so that stopping it also stops the esbuild workers it starts; stdin is
// not passed on (a background group reading the terminal would be stopped by SIGTTIN).
const ng = spawn(process.execPath, [NG_BIN, 'serve', '--port', String(settings.appPort), '--host', HOST], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
  env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
});

printBanner();
await warnIfDemoConfigPointsElsewhere();

let stopping = false;
ng.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`ng serve stopped (${signal ?? `exit code ${code}`}); stopping the IdP and the API.`);
  void shutdown(code || 1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // A second Ctrl-C while shutting down means "now".
    if (stopping) process.exit(1);
    console.log(`\nStopping (${signal})…`);
    void shutdown(0);
  });
}

async function shutdown(exitCode) {
  stopping = true;
  const ngExited = ng.exitCode !== null || ng.signalCode !== null ? Promise.resolve() : once(ng, 'exit');
  killGroup(ng.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(ng.pid, 'SIGKILL'), SHUTDOWN_GRACE_MS);
  await Promise.allSettled([ngExited, idp.close(), api.close()]);
  clearTimeout(timer);
  process.exit(exitCode);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if (error.code !== 'ESRCH') throw error;
  }
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, resolve));
}

function printBanner() {
  const users = DEMO_USERS.map((user) => `${user.sub} / ${user.password} (${user.claims.name})`).join(', ');
  console.log(
    [
      '',
      'ngx-implicit-auth dev stack',
      `  OpenID provider  ${idp.issuer}  (discovery: ${idp.issuer}/.well-known/openid-configuration)`,
      `  demo API         ${api.url}/api/public · /api/messages (read:messages) · /api/admin (write:messages)`,
      `  demo app         ${appOrigin}/  (ng serve is compiling; it prints "Local:" when ready)`,
      `  demo users       ${users}`,
      `  token lifetimes  access ${settings.accessTokenTtl} s, ID ${settings.idTokenTtl} s (ACCESS_TOKEN_TTL, ID_TOKEN_TTL)`,
      '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

/**
 * The demo reads public/auth.config.json at run time. With non-default IDP_PORT/API_PORT (or a config for
 * another provider) the demo talks to something else than the servers started here: say so.
 */
async function warnIfDemoConfigPointsElsewhere() {
  let config;
  try {
    config = JSON.parse(await readFile(join(ROOT, 'public', 'auth.config.json'), 'utf8'));
  } catch (error) {
    console.warn(`Note: could not read public/auth.config.json (${error.message}).`);
    return;
  }
  if (config.issuer !== idp.issuer) {
    console.warn(
      `Note: public/auth.config.json uses the issuer ${config.issuer}, not the IdP started here (${idp.issuer}).`,
    );
  }
  for (const { url } of config.apis ?? []) {
    if (URL.parse(url)?.origin !== api.url) {
      console.warn(`Note: public/auth.config.json lists the API ${url}, not the demo API started here (${api.url}).`);
    }
  }
}
