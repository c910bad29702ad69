/**
 * `npm run dev-provider -- --app <origin>`: the dev provider and demo API for an app of one's own. What it
 * prints is the config that works: the issuer its discovery names, a client that accepts the app's `/` and
 * `/silent-callback.html`, and a demo API that takes the token from that origin. Needs no demo build.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, newBrowserPage } from '../support/browser.mjs';
import { startBlankAppServer } from '../support/demo-server.mjs';
import { startDevProvider } from '../support/dev-provider.mjs';
import { fragmentParams, signInAtDevIdp } from '../support/page.mjs';
import { pollUntil } from '../support/silent-renewal.mjs';
import { ACTION_TIMEOUT_MS } from '../support/stack.mjs';

describe('npm run dev-provider -- --app <origin>', () => {
  let app;
  let provider;
  let browser;

  before(async () => {
    app = await startBlankAppServer();
    provider = await startDevProvider([app.origin]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await provider?.close();
    await app?.close();
  });

  function authorizeUrl(discovery, params) {
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: provider.value('clientId'),
      response_type: 'id_token token',
      scope: provider.value('scope'),
      audience: provider.value('audience'),
      state: randomUUID(),
      nonce: randomUUID(),
      ...params,
    }).toString();
    return url;
  }

  test('prints a config whose issuer, client, audience and API work for that origin', async () => {
    assert.deepEqual(Object.keys(provider.config), ['issuer', 'clientId', 'audience', 'scope', 'apis']);
    assert.equal(provider.config.clientId, "'demo-spa'");
    assert.equal(provider.config.audience, "'urn:ngx-implicit-auth:demo-api'");
    assert.equal(provider.config.scope, "'openid profile email read:messages'");
    assert.match(provider.apiUrl, /^http:\/\/localhost:\d+\/api$/);
    assert.match(provider.output(), new RegExp(`redirect URIs ${app.origin}/ and ${app.origin}/silent-callback.html`));
    assert.doesNotMatch(provider.output(), /ng serve|demo app/);

    const discovery = await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, provider.issuer);
  });

  test('signs in to an app on that origin, renews through its silent-callback page, and the API takes the token', async () => {
    const discovery = await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json();
    const page = await newBrowserPage(browser, ACTION_TIMEOUT_MS);

    const signIn = authorizeUrl(discovery, { redirect_uri: `${app.origin}/` });
    await page.goto(signIn.href);
    await signInAtDevIdp(page, { login: 'ada', idpOrigin: provider.issuer });
    await page.waitForURL((url) => url.origin === app.origin && url.pathname === '/');
    assert.equal(fragmentParams(page).get('state'), signIn.searchParams.get('state'));
    assert.ok(fragmentParams(page).get('id_token'));

    // What the library's renewal iframe asks: prompt=none back to the silent-callback page, no page shown.
    const renew = authorizeUrl(discovery, { redirect_uri: `${app.origin}/silent-callback.html`, prompt: 'none' });
    await page.goto(renew.href);
    await page.waitForURL((url) => url.origin === app.origin && url.pathname === '/silent-callback.html');
    const renewed = fragmentParams(page);
    assert.equal(renewed.get('error'), null, `renewal error: ${renewed.get('error_description')}`);
    const accessToken = renewed.get('access_token');
    assert.ok(accessToken, 'an access token from the silent renewal');

    const response = await fetch(`${provider.apiUrl}/messages`, {
      headers: { Authorization: `Bearer ${accessToken}`, Origin: app.origin },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), app.origin);
    assert.equal((await response.json()).sub, 'ada');
    // The access log line arrives through the child's stdout, a moment after the answer.
    await pollUntil(provider.apiLog, (log) => log.includes('[api] GET /api/messages → 200 (ada)'), {
      what: 'the API access log line',
    });
  });
});
