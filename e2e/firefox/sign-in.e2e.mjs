/**
 * Signing in and out in Firefox, as in `e2e/specs/sign-in.e2e.mjs` for Chromium: through the dev IdP's form
 * back to the demo with nothing of the callback left in the address bar, a guarded deep link that comes back
 * to itself, the demo API answering 200 to the token, and logging out at the IdP. Needs `npm run build:demo`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CALLBACK_PARAMETER } from '../support/demo-flows.mjs';
import { launchFirefox } from '../support/firefox.mjs';
import {
  callFromApiConsole,
  clickTestId,
  closeWithin,
  newFirefoxPage,
  openDemo,
  signInAtDevIdp,
  signInWithDevIdp,
  testIdText,
  waitForAuthStatus,
  waitForTestIdText,
  waitForUrl,
} from '../support/firefox-flows.mjs';
import { startStack } from '../support/stack.mjs';

describe('sign-in in Firefox', () => {
  let stack;
  let browser;

  before(async () => {
    stack = await startStack({ app: 'demo', browser: false });
    browser = await launchFirefox();
  });
  after(async () => {
    await closeWithin(browser);
    await stack?.close();
  });

  /** A page in a fresh browser context that is closed when the test ends, passed or not. */
  async function newPage(t) {
    const page = await newFirefoxPage(browser);
    t.after(() => closeWithin(page.browserContext()));
    return page;
  }

  test('through the dev IdP: signed in, no trace of the callback, and the API answers 200 to the token', async (t) => {
    const page = await newPage(t);
    assert.equal(await openDemo(page, stack), 'signed-out');

    assert.equal(await signInWithDevIdp(page, stack), 'signed-in');
    await waitForTestIdText(page, 'user-name', /^Ada Lovelace$/);
    assert.equal(await testIdText(page, 'auth-error'), '');
    assert.equal(page.url(), stack.app.url);
    const { hash, href } = await page.evaluate(() => ({ hash: location.hash, href: location.href }));
    assert.equal(hash, '');
    assert.doesNotMatch(href, CALLBACK_PARAMETER);

    // The demo API checks the token's signature, issuer and audience: 200 with the user's `sub` proves it came.
    assert.match(await callFromApiConsole(page, `${stack.api.url}/api/messages`), /^200 .*"sub":"ada"/s);
  });

  test('a guarded deep link opened signed out is where the user lands after the IdP, query and fragment kept', async (t) => {
    const page = await newPage(t);
    await page.goto(`${stack.app.origin}/profile?tab=x#y`);

    // The guard sends the user to the IdP by itself: no click on sign-in.
    await signInAtDevIdp(page, { idpOrigin: stack.idp.issuer, appOrigin: stack.app.origin });
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal(await waitForTestIdText(page, 'profile-location', /\S/), 'profile?tab=x#y');
    assert.equal(page.url(), `${stack.app.origin}/profile?tab=x#y`);
    await waitForTestIdText(page, 'user-name', /^Ada Lovelace$/);
    assert.equal(await testIdText(page, 'auth-error'), '');
  });

  test('logging out ends the session at the IdP: back signed out, and the next sign-in needs the form', async (t) => {
    const page = await newPage(t);
    await openDemo(page, stack);
    await signInWithDevIdp(page, stack);

    await clickTestId(page, 'sign-out');
    const logoutPage = await waitForUrl(page, (url) => url.origin === stack.idp.issuer, {
      what: "the dev IdP's logout page",
    });
    assert.ok(logoutPage.searchParams.get('id_token_hint'), `id_token_hint in ${logoutPage}`);
    assert.equal(logoutPage.searchParams.get('post_logout_redirect_uri'), stack.app.url);
    await page.locator('button[name=logout][value=yes]').click();

    await waitForUrl(page, (url) => url.origin === stack.app.origin, { what: 'the way back to the app' });
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal(await testIdText(page, 'user-name'), '');
    assert.equal(await testIdText(page, 'auth-error'), '');

    // With the IdP session still alive, this would come straight back signed in instead.
    await clickTestId(page, 'sign-in');
    await waitForUrl(page, (url) => url.origin === stack.idp.issuer && url.pathname.startsWith('/interaction/'), {
      what: "the dev IdP's sign-in page",
    });
    await page.locator('input[name=login]').wait();
    await signInAtDevIdp(page, { idpOrigin: stack.idp.issuer, appOrigin: stack.app.origin });
    assert.equal(await waitForAuthStatus(page), 'signed-in');
  });
});
