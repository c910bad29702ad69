/**
 * Signing in with the implicit flow, as a person does it in the demo: through the dev IdP's form for
 * `id_token token` and `id_token`, back on the page asked for, with nothing of the callback left in the
 * address bar or the history, then logging out at the IdP; and `token` alone against the test OP, which the
 * dev IdP (oidc-provider) does not offer. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  apiEntry,
  assertNoCallbackInUrlOrHistory,
  callFromApiConsole,
  openDemo,
  sessionStorageDump,
  signInWithDevIdp,
} from '../support/demo-flows.mjs';
import { signInAtDevIdp, waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

describe('sign-in', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.recordingApi.clear();
    stack.op.setScenario('valid');
  });

  const text = async (page, testId) => (await page.getByTestId(testId).textContent()).trim();

  /** The authorize requests the page sends to `origin` (navigations and iframes alike), as they happen. */
  function watchAuthorizeRequests(page, origin) {
    const seen = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === origin && url.searchParams.has('response_type')) seen.push(url.searchParams);
    });
    return seen;
  }

  describe('at the dev IdP', () => {
    test("with responseType 'id_token token': signed in, no trace of the callback, the API answers 200", async () => {
      stack.app.setConfig(stack.authConfig);
      const page = await stack.newPage();
      const authorize = watchAuthorizeRequests(page, stack.idp.issuer);
      assert.equal(await openDemo(page, stack), 'signed-out');

      await signInWithDevIdp(page, stack);
      assert.equal(authorize.length, 1);
      assert.equal(authorize[0].get('response_type'), 'id_token token');
      await waitForTestIdText(page, 'user-name', /^Ada Lovelace$/);
      assert.equal(await text(page, 'auth-error'), '');
      assert.equal(page.url(), stack.app.url);
      assert.equal(await page.evaluate(() => location.hash), '');
      assert.doesNotMatch(await page.evaluate(() => location.href), /access_token/);
      await assertNoCallbackInUrlOrHistory(page);

      assert.match(await callFromApiConsole(page, `${stack.api.url}/api/messages`), /^200 .*"sub":"ada"/s);
      await page.context().close();
    });

    test("with responseType 'id_token': signed in, and no access token goes to the API", async () => {
      stack.app.setConfig({ ...stack.authConfig, responseType: 'id_token', apis: [] });
      const page = await stack.newPage();
      const authorize = watchAuthorizeRequests(page, stack.idp.issuer);
      await openDemo(page, stack);

      await signInWithDevIdp(page, stack);
      assert.equal(authorize.length, 1);
      assert.equal(authorize[0].get('response_type'), 'id_token');
      await waitForTestIdText(page, 'user-name', /^Ada Lovelace$/);
      assert.equal(await text(page, 'auth-error'), '');
      await assertNoCallbackInUrlOrHistory(page);

      // No API is configured (the library refuses `apis` with 'id_token'): the demo API gets no token and says so.
      assert.match(await callFromApiConsole(page, `${stack.api.url}/api/messages`), /^401 /);
      assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
      assert.equal(stack.recordingApi.requests.length, 1);
      assert.equal(stack.recordingApi.requests[0].authorization, undefined);
      await page.context().close();
    });

    test('a guarded page opened signed out is where the user lands after the IdP, query and fragment kept', async () => {
      stack.app.setConfig(stack.authConfig);
      const page = await stack.newPage();
      await page.goto(`${stack.app.origin}/profile?tab=x#y`);

      // The guard sends the user to the IdP by itself: no click on sign-in.
      await signInAtDevIdp(page, { login: 'ada', idpOrigin: stack.idp.issuer });
      await page.waitForURL((url) => url.origin === stack.app.origin);
      assert.equal(await waitForAuthStatus(page), 'signed-in');
      assert.equal(await waitForTestIdText(page, 'profile-location', /\S/), 'profile?tab=x#y');
      assert.equal(page.url(), `${stack.app.origin}/profile?tab=x#y`);
      await waitForTestIdText(page, 'user-name', /^Ada Lovelace$/);
      assert.equal(await text(page, 'auth-error'), '');
      await assertNoCallbackInUrlOrHistory(page);
      await page.context().close();
    });

    test('logging out ends the session at the IdP: back signed out, and the next sign-in needs the form', async () => {
      stack.app.setConfig(stack.authConfig);
      const page = await stack.newPage();
      await openDemo(page, stack);
      await signInWithDevIdp(page, stack);

      const endSession = page.waitForRequest((request) => new URL(request.url()).origin === stack.idp.issuer);
      await page.getByTestId('sign-out').click();
      const logoutUrl = new URL((await endSession).url());
      assert.ok(logoutUrl.searchParams.get('id_token_hint'), `id_token_hint in ${logoutUrl}`);
      assert.equal(logoutUrl.searchParams.get('post_logout_redirect_uri'), stack.app.url);
      await page.locator('button[name=logout][value=yes]').click();

      await page.waitForURL((url) => url.origin === stack.app.origin);
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      assert.equal(await text(page, 'user-name'), '');
      assert.equal(await text(page, 'auth-error'), '');

      // With the IdP session still alive, this would come straight back signed in instead.
      await page.getByTestId('sign-in').click();
      await page.waitForURL((url) => url.origin === stack.idp.issuer && url.pathname.startsWith('/interaction/'));
      await page.locator('input[name=login]').waitFor({ state: 'visible' });
      await signInAtDevIdp(page, { login: 'ada', idpOrigin: stack.idp.issuer });
      await page.waitForURL((url) => url.origin === stack.app.origin);
      assert.equal(await waitForAuthStatus(page), 'signed-in');
      await page.context().close();
    });
  });

  describe('at the test OP', () => {
    test("with responseType 'token': signed in without an ID token, and the API gets the token the OP issued", async () => {
      stack.useTestOp({ responseType: 'token', apis: [apiEntry(stack.recordingApi.origin)] });
      const page = await stack.newPage();
      await openDemo(page, stack);

      await page.getByTestId('sign-in').click();
      assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
      assert.equal(stack.op.authorizeRequests.at(-1).params.get('response_type'), 'token');
      const issued = stack.op.lastIssued;
      assert.ok(issued.accessToken);
      assert.equal(issued.idToken, undefined);
      // No ID token, so no claims and no name to show.
      assert.equal(await text(page, 'user-name'), '');
      assert.equal(await text(page, 'auth-error'), '');
      await assertNoCallbackInUrlOrHistory(page);

      assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
      assert.deepEqual(
        stack.recordingApi.requests.map((request) => request.authorization),
        [`Bearer ${issued.accessToken}`],
      );
      await page.context().close();
    });

    test("with responseType 'id_token': an access token that comes anyway is dropped, never kept", async () => {
      // sessionStorage makes what the library keeps visible to the test.
      stack.useTestOp({ responseType: 'id_token', apis: [], storage: 'session' });
      const smuggled = 'smuggled-access-token';
      stack.op.nextScenario('valid', { params: { access_token: smuggled, token_type: 'Bearer', expires_in: 3600 } });
      const page = await stack.newPage();
      await openDemo(page, stack);

      await page.getByTestId('sign-in').click();
      assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
      await waitForTestIdText(page, 'user-name', /^Test User$/);
      await assertNoCallbackInUrlOrHistory(page);
      const kept = await sessionStorageDump(page);
      assert.ok(kept.includes(stack.op.lastIssued.idToken), 'the session (with its ID token) is in sessionStorage');
      assert.ok(!kept.includes(smuggled), 'the unasked-for access token is not kept');
      await page.context().close();
    });
  });
});
