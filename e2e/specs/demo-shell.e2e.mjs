/**
 * The built demo app as a person meets it: it reads its runtime auth.config.json, finishes start-up, and its
 * API console shows what an API answered. A broken configuration gives an error page, not a blank screen.
 * Needs `npm run build:demo` first (npm test does it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

describe('the demo app shell', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo' });
  });
  after(() => stack?.close());

  test('loads its runtime config and the API console shows results', async () => {
    stack.app.setConfig(stack.authConfig);
    const page = await stack.newPage();
    const configLoaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/auth.config.json');
    await page.goto(stack.app.url);
    assert.equal((await configLoaded).status(), 200);
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');

    await page.getByTestId('api-url').fill(`${stack.api.url}/api/public`);
    await page.getByTestId('api-call').click();
    const result = await waitForTestIdText(page, 'api-result', /^\d{3}\b/);
    assert.match(result, /^200 /);
    assert.match(result, /no token needed/);
  });

  test('shows the API refusal (status and body) in the console', async () => {
    stack.app.setConfig(stack.authConfig);
    const page = await stack.newPage();
    await page.goto(stack.app.url);
    await waitForAuthStatus(page);
    // Signed out: whatever the interceptor does, the demo API must see no valid token and refuse.
    await page.getByTestId('api-url').fill(`${stack.api.url}/api/messages`);
    await page.getByTestId('api-call').click();
    const result = await waitForTestIdText(page, 'api-result', /\S/);
    assert.match(result, /^(401 |no request sent: )/);
  });

  test('a malformed auth.config.json shows a clear error page', async () => {
    stack.app.setConfig('{ "issuer": "http://localhost:1", "clientId": ');
    const page = await stack.newPage();
    await page.goto(stack.app.url);
    await waitForTestIdText(page, 'auth-error', /invalid_config/);
    assert.equal((await page.getByTestId('auth-status').textContent()).trim(), 'signed-out');
  });

  test('a well-formed config the library refuses shows invalid_config', async () => {
    stack.app.setConfig({ ...stack.authConfig, issuer: 'not a url' });
    const page = await stack.newPage();
    await page.goto(stack.app.url);
    await waitForTestIdText(page, 'auth-error', /invalid_config/);
  });

  test('an unreachable auth.config.json shows a clear error page', async () => {
    stack.app.setConfig(null);
    const page = await stack.newPage();
    await page.goto(stack.app.url);
    await waitForTestIdText(page, 'auth-error', /config_unreachable/);
  });
});
