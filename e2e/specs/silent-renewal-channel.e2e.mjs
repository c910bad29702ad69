/**
 * Silent renewal's message channel and its failure modes, against the test OP (which can hang, or answer
 * from a page of its own origin): a forged answer is ignored whoever posts it, only the provider's own
 * `web_message` is taken in that mode, and a provider that never answers gives `timeout` and leaves the app
 * usable. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO_API_AUDIENCE, DEMO_CLIENT_ID } from '../../dev/defaults.mjs';
import { atHash } from '../fixtures/test-op.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { callApi, pollUntil, tokenSentToRecordingApi, withRecordingApi } from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

/** The message `silent-callback.html` posts to the app. */
const CALLBACK_MESSAGE_TYPE = 'ngx-implicit-auth:silent-callback';

describe('silent renewal: the message channel, timeouts', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());

  /**
   * Points the demo at the test OP (renewal only on demand), signs in, and returns the page, the access token
   * the sign-in gave and a function listing the authorize requests with `prompt=none`.
   */
  async function signInAtTestOp(t, silentRenew = {}) {
    stack.op.setScenario('valid');
    stack.app.setConfig(
      withRecordingApi(stack, stack.useTestOp({ silentRenew: { automatic: false, ...silentRenew } })),
    );
    const page = await stack.newPage();
    t.after(async () => {
      stack.op.releaseHangingRequests();
      await page.context().close();
    });
    await page.goto(stack.app.url);
    await waitForAuthStatus(page, /^signed-out$/);
    await page.getByTestId('sign-in').click();
    await waitForAuthStatus(page, /^signed-in$/);
    const token = await tokenSentToRecordingApi(page, stack);
    assert.equal(token, `Bearer ${stack.op.lastIssued.accessToken}`);
    const silentRequests = () =>
      stack.op.authorizeRequests.filter((request) => request.params.get('prompt') === 'none');
    const already = silentRequests().length;
    return { page, token, silentRequests: () => silentRequests().slice(already) };
  }

  /** Records, in the page, every message its window receives: `{ origin, type }`. */
  async function recordMessages(page) {
    await page.evaluate(() => {
      window.__e2eMessages = [];
      window.addEventListener('message', (event) =>
        window.__e2eMessages.push({ origin: event.origin, type: event.data?.type }),
      );
    });
    return () => page.evaluate(() => window.__e2eMessages);
  }

  /**
   * A response to `request` that passes every check of the library: signed with the test OP's key, for the
   * same user, with the request's `state` and `nonce` and a correct `at_hash`. Only the channel it arrives
   * through can make the app refuse it.
   */
  async function forgeValidResponse(request) {
    const params = request.params;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await stack.op.signAccessToken({
      sub: 'test-user',
      aud: params.get('audience') ?? DEMO_API_AUDIENCE,
      client_id: DEMO_CLIENT_ID,
      scope: params.get('scope'),
      jti: 'forged',
    });
    const idToken = await stack.op.signIdToken({
      sub: 'test-user',
      name: 'Test User',
      iss: stack.op.issuer,
      aud: DEMO_CLIENT_ID,
      iat: now,
      auth_time: now,
      exp: now + 3600,
      nonce: params.get('nonce'),
      at_hash: atHash(accessToken),
    });
    const fragment = new URLSearchParams({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: '3600',
      scope: params.get('scope'),
      id_token: idToken,
      state: params.get('state'),
    });
    return { accessToken, fragment: `#${fragment}` };
  }

  test('a valid-looking answer posted by another origin, or by another window, is ignored', async (t) => {
    const { page, token, silentRequests } = await signInAtTestOp(t, { timeoutMs: 3000 });
    const messages = await recordMessages(page);
    stack.op.setScenario('never_answer');
    await page.getByTestId('renew').click();
    const [request] = await pollUntil(silentRequests, (requests) => requests.length === 1, {
      what: 'the prompt=none request',
    });
    const forged = await forgeValidResponse(request);
    const message = { type: CALLBACK_MESSAGE_TYPE, response: forged.fragment };

    // A page on another origin, framed into the app, posts to the app's window with the real state.
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.id = 'e2e-forger';
      frame.src = src;
      document.body.append(frame);
    }, `${stack.recordingApi.url}/forger`);
    const forger = await pollUntil(
      () => page.frames().find((frame) => frame.url().startsWith(stack.recordingApi.origin)),
      Boolean,
      { what: 'the forging frame' },
    );
    await forger.waitForLoadState();
    await forger.evaluate((data) => window.parent.postMessage(data, '*'), message);
    // The app's own origin, but not the renewal's iframe: any other script of the page could do this.
    await page.evaluate((data) => window.postMessage(data, window.location.origin), message);

    const received = await pollUntil(messages, (list) => list.length >= 2, { what: 'both forged messages' });
    assert.deepEqual(received, [
      { origin: stack.recordingApi.origin, type: CALLBACK_MESSAGE_TYPE },
      { origin: stack.app.origin, type: CALLBACK_MESSAGE_TYPE },
    ]);
    // Had either been taken, the renewal would have succeeded at once with the forged tokens.
    await waitForTestIdText(page, 'auth-error', /^timeout$/);
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal(await tokenSentToRecordingApi(page, stack), token);
    assert.ok(
      stack.recordingApi.requests.every((recorded) => recorded.authorization !== `Bearer ${forged.accessToken}`),
      'the forged access token reached an API',
    );
  });

  test("a page on the provider's origin inside the renewal iframe cannot answer for the callback page", async (t) => {
    const { page, token, silentRequests } = await signInAtTestOp(t, { timeoutMs: 2000 });
    const messages = await recordMessages(page);
    // The real answer to the real request (state, nonce, signature all right), posted from the OP's origin.
    stack.op.nextScenario('valid', { delivery: 'post_to_parent' });
    await page.getByTestId('renew').click();
    await pollUntil(messages, (list) => list.length >= 1, { what: "the OP page's message" });
    assert.deepEqual(await messages(), [{ origin: stack.op.issuer, type: CALLBACK_MESSAGE_TYPE }]);
    const posted = stack.op.lastIssued.accessToken;

    await waitForTestIdText(page, 'auth-error', /^timeout$/);
    assert.equal(silentRequests().length, 1);
    assert.equal(await tokenSentToRecordingApi(page, stack), token);
    assert.ok(stack.recordingApi.requests.every((recorded) => recorded.authorization !== `Bearer ${posted}`));
  });

  test("with webMessage on, the provider's own posted answer is taken", async (t) => {
    const { page, token, silentRequests } = await signInAtTestOp(t, { timeoutMs: 5000, webMessage: true });
    stack.op.nextScenario('valid', { delivery: 'web_message' });
    await page.getByTestId('renew').click();
    const [request] = await pollUntil(silentRequests, (requests) => requests.length === 1, {
      what: 'the prompt=none request',
    });
    assert.equal(request.params.get('response_mode'), 'web_message');
    const renewed = await pollUntil(
      () => tokenSentToRecordingApi(page, stack),
      (sent) => sent !== token,
      { what: 'the renewed token in use' },
    );
    assert.equal(renewed, `Bearer ${stack.op.lastIssued.accessToken}`);
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
  });

  test('a provider that never answers gives timeout, removes the iframe and leaves the app usable', async (t) => {
    const timeoutMs = 1500;
    const { page, token, silentRequests } = await signInAtTestOp(t, { timeoutMs });
    stack.op.setScenario('never_answer');
    const clicked = Date.now();
    await page.getByTestId('renew').click();
    await pollUntil(silentRequests, (requests) => requests.length === 1, { what: 'the prompt=none request' });
    assert.equal(await page.locator('iframe').count(), 1, 'the renewal runs in an iframe');

    await waitForTestIdText(page, 'auth-error', /^timeout$/);
    const elapsed = Date.now() - clicked;
    assert.ok(elapsed >= timeoutMs - 100 && elapsed < timeoutMs + 3000, `timed out after ${elapsed} ms`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal(silentRequests().length, 1, 'no retry');

    // Usable: the kept token still goes out, and the next renewal (single flight released) succeeds.
    assert.equal(await tokenSentToRecordingApi(page, stack), token);
    stack.op.releaseHangingRequests();
    stack.op.setScenario('valid');
    await page.getByTestId('renew').click();
    await waitForTestIdText(page, 'auth-error', /^$/);
    const renewed = await pollUntil(
      () => tokenSentToRecordingApi(page, stack),
      (sent) => sent !== token,
      { what: 'the renewed token in use' },
    );
    assert.equal(renewed, `Bearer ${stack.op.lastIssued.accessToken}`);
    assert.equal(silentRequests().length, 2);
    const { status } = await callApi(page, `${stack.recordingApi.url}/rec/after-timeout`);
    assert.equal(status, 200);
  });
});
