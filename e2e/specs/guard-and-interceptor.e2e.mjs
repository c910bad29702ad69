/**
 * The interceptor and the route guard in a real browser: the token goes to the configured API and not to a
 * lookalike origin on the same host; a caller's own Authorization header is left alone; an API's
 * `401 invalid_token` costs exactly one silent renewal and one replay; and a provider error after the guard
 * sent the user to sign in lands on a page with the error, never in a redirect loop.
 * Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  apiEntry,
  assertNoCallbackInUrlOrHistory,
  assertStaysAt,
  callFromApiConsole,
  openDemo,
  signInWithDevIdp,
} from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

describe('the interceptor and the guard', () => {
  let stack;
  /** Authorize requests the test OP had received when the current test started. */
  let authorizeBefore;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.recordingApi.clear();
    stack.op.setScenario('valid');
    authorizeBefore = stack.op.authorizeRequests.length;
  });

  const authorizeRequests = () => stack.op.authorizeRequests.slice(authorizeBefore);
  const recorded = () => stack.recordingApi.requests.map((request) => request.authorization);

  /** Signs in at the test OP (it answers at once) with the recording API as the one API entry. */
  async function signedInAtTestOp(apiOptions = {}) {
    stack.useTestOp({ apis: [apiEntry(stack.recordingApi.origin, apiOptions)] });
    const page = await stack.newPage();
    await openDemo(page, stack);
    await page.getByTestId('sign-in').click();
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    return { page, accessToken: stack.op.lastIssued.accessToken };
  }

  test('the token goes to the demo API, not to a lookalike origin on the same host', async () => {
    // Only the demo API is an API entry; the recording API is the same host and path on another port.
    stack.app.setConfig(stack.authConfig);
    const page = await stack.newPage();
    await openDemo(page, stack);
    await signInWithDevIdp(page, stack);

    assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
    assert.deepEqual(recorded(), [undefined]);
    assert.match(await callFromApiConsole(page, `${stack.api.url}/api/messages`), /^200 .*"sub":"ada"/s);
    await page.context().close();
  });

  test("a caller's own Authorization header is sent as it is, never replaced", async () => {
    const { page, accessToken } = await signedInAtTestOp();

    assert.match(
      await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`, {
        authorization: 'Bearer caller-value',
      }),
      /^200 /,
    );
    // The same call without a header of its own gets the token: the interceptor did see the first one.
    assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
    assert.deepEqual(recorded(), ['Bearer caller-value', `Bearer ${accessToken}`]);
    await page.context().close();
  });

  test('a 401 invalid_token costs one silent renewal and one replay with the new token', async () => {
    const { page, accessToken: first } = await signedInAtTestOp();
    authorizeBefore = stack.op.authorizeRequests.length;
    stack.recordingApi.rejectFirstToken();

    assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
    const renewal = authorizeRequests();
    assert.equal(renewal.length, 1, 'one authorize request for the renewal');
    assert.equal(renewal[0].params.get('prompt'), 'none');
    assert.equal(renewal[0].params.get('redirect_uri'), `${stack.app.origin}/silent-callback.html`);
    const second = stack.op.lastIssued.accessToken;
    assert.notEqual(second, first);
    assert.equal(stack.recordingApi.rejectedToken, first);
    assert.deepEqual(recorded(), [`Bearer ${first}`, `Bearer ${second}`]);
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
    await page.context().close();
  });

  test('a provider error after the guard sent the user to sign in shows the error, with no second trip', async () => {
    stack.useTestOp({ apis: [apiEntry(stack.recordingApi.origin)] });
    stack.op.setScenario('access_denied');
    const page = await stack.newPage();
    await page.goto(`${stack.app.origin}/profile`);

    assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'access_denied');
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal(new URL(page.url()).origin, stack.app.origin);
    await assertNoCallbackInUrlOrHistory(page);
    assert.equal(authorizeRequests().length, 1);

    // Asking for the guarded page again within the app does not send the user back to the provider either.
    await page.getByRole('link', { name: 'Profile' }).click();
    await assertStaysAt(() => authorizeRequests().length, 1, { forMs: 500, what: 'authorize requests' });
    assert.equal(new URL(page.url()).origin, stack.app.origin);
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), 'access_denied');
    await page.context().close();
  });
});
