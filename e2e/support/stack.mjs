/**
 * One call to bring up what an e2e test needs, all on `localhost` and ephemeral ports: the app origin (the
 * built demo or a blank page), the real dev IdP and demo API, optionally the test OP and the recording API,
 * and headless Chromium. `close()` stops all of it, whatever failed on the way.
 *
 *   const stack = await startStack({ app: 'demo', testOp: true });
 *   after(() => stack.close());
 *   const page = await stack.newPage();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startApi } from '../../dev/api.mjs';
import { DEMO_API_AUDIENCE, DEMO_CLIENT_ID } from '../../dev/defaults.mjs';
import { startIdp } from '../../dev/idp.mjs';
import { startRecordingApi } from '../fixtures/recording-api.mjs';
import { startTestOp } from '../fixtures/test-op.mjs';
import { launchBrowser, newBrowserPage } from './browser.mjs';
import { startBlankAppServer, startDemoServer } from './demo-server.mjs';

/** How long any single browser action or wait may take before the test fails. */
export const ACTION_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The demo's runtime configuration (the shape of public/auth.config.json) for a given provider and API.
 * `overrides` replace top-level members.
 */
export function demoAuthConfig({
  issuer,
  apiUrl,
  clientId = DEMO_CLIENT_ID,
  audience = DEMO_API_AUDIENCE,
  ...overrides
}) {
  return {
    issuer,
    clientId,
    responseType: 'id_token token',
    scope: 'openid profile email read:messages',
    audience,
    apis: apiUrl ? [{ url: `${apiUrl}/api`, audience, scope: 'read:messages', allowAnonymous: true }] : [],
    ...overrides,
  };
}

/**
 * @param {object} [options]
 * @param {'demo' | 'blank'} [options.app] What the app origin serves. 'demo' (default) needs `npm run build:demo`.
 * @param {object} [options.idp] Extra options for startIdp (e.g. `{ accessTokenTtl: 20 }`).
 * @param {boolean | object} [options.testOp] Start the test OP (options for startTestOp).
 * @param {boolean} [options.recordingApi] Start the recording ("lookalike") API.
 * @param {boolean} [options.browser] Launch Chromium. Default true.
 * @param {string} [options.basePath] Serve the demo under this path (`/app/`), as a sub-path deployment; the dev
 *   IdP then registers `<origin>/app/` and `<origin>/app/silent-callback.html`. Default `/`.
 * @returns The running pieces, `newPage()`, `useTestOp()` and `close()`. The demo is configured for the dev
 *   IdP and demo API; `useTestOp()` points it at the test OP instead.
 */
export async function startStack({
  app = 'demo',
  idp: idpOptions = {},
  testOp = false,
  recordingApi = false,
  browser = true,
  basePath = '/',
} = {}) {
  const cleanups = [];
  const stack = {
    async close() {
      // Reverse order (browser first), each step bounded, so one stuck server cannot hang the test run.
      const steps = cleanups.splice(0).reverse();
      for (const step of steps) {
        await Promise.race([
          // A failing cleanup must not hide the test's own result, nor stop the other cleanups.
          step().catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
        ]);
      }
    },
  };

  try {
    stack.app = app === 'demo' ? await startDemoServer({ basePath }) : await startBlankAppServer();
    cleanups.push(() => stack.app.close());

    // A throwaway key folder: tests never touch the developer's dev/.keys and run in parallel safely.
    const keysDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-e2e-keys-'));
    cleanups.push(() => rm(keysDir, { recursive: true, force: true }));
    stack.idp = await startIdp({ port: 0, appOrigins: [stack.app.url], keysDir, ...idpOptions });
    cleanups.push(() => stack.idp.close());
    stack.api = await startApi({ port: 0, issuer: stack.idp.issuer, appOrigins: [stack.app.origin] });
    cleanups.push(() => stack.api.close());
    stack.authConfig = demoAuthConfig({ issuer: stack.idp.issuer, apiUrl: stack.api.url });
    stack.app.setConfig?.(stack.authConfig);

    if (testOp) {
      stack.op = await startTestOp(testOp === true ? {} : testOp);
      cleanups.push(() => stack.op.close());
    }
    if (recordingApi) {
      stack.recordingApi = await startRecordingApi();
      cleanups.push(() => stack.recordingApi.close());
    }
    if (browser) {
      stack.browser = await launchBrowser();
      cleanups.push(() => stack.browser.close());
    }
  } catch (error) {
    await stack.close();
    throw error;
  }

  /** A page in a fresh browser context (own cookies and storage), with bounded waits and a console log. */
  stack.newPage = () => newBrowserPage(stack.browser, ACTION_TIMEOUT_MS);

  /**
   * Points the demo at the test OP (client id `demo-spa`, APIs as given) and returns the config served.
   * `overrides` replace top-level members of the config, e.g. `{ responseType: 'token' }`.
   */
  stack.useTestOp = (overrides = {}) => {
    if (!stack.op) throw new Error('startStack({ testOp: true }) first');
    const config = demoAuthConfig({ issuer: stack.op.issuer, apiUrl: stack.api.url, ...overrides });
    stack.app.setConfig(config);
    return config;
  };

  return stack;
}
