/**
 * A bad day, proven: the test OP refuses connections, the authorization endpoint fails inside the renewal
 * iframe, the library's lazily loaded chunk does not arrive, the browser goes offline. Each time the demo shows
 * a typed error within the deadline, keeps nothing from the failed answer, keeps a valid session it already had,
 * goes to the provider at most once per click, and the next click after recovery works without a reload (no
 * failure is cached). Discovery, JWKS and UserInfo that hang, answer 500 or garbage are in hung-provider.e2e.mjs.
 * Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { startTestOp } from '../fixtures/test-op.mjs';
import { SESSION_ENTRY, assertStaysAt, sessionStorageDump } from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import {
  markDocument,
  recordTopNavigations,
  tokenSentToRecordingApi,
  withRecordingApi,
} from '../support/silent-renewal.mjs';
import { demoAuthConfig, startStack } from '../support/stack.mjs';

/** `networkTimeoutMs`: each wait on the network (discovery, JWKS, UserInfo, the lazy chunk). */
const NETWORK_TIMEOUT_MS = 1500;
/** `silentRenew.timeoutMs`: how long the renewal iframe may take. */
const RENEW_TIMEOUT_MS = 1500;
/** Time the page may take, beyond a deadline, to show the error (event loop, rendering, polling). */
const SLACK_MS = 2000;
/** How long a test watches that no second trip to the provider follows a failure. */
const QUIET_MS = 500;

describe('refused connections, a failing renewal iframe, a missing chunk, and the browser offline', () => {
  let stack;
  let page;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.op.setScenario('valid');
    configure();
  });
  afterEach(async () => {
    for (const endpoint of ['discovery', 'jwks', 'userinfo', 'authorize']) stack.op.setEndpointFault(endpoint, null);
    stack.op.releaseHangingRequests();
    stack.app.clearAssetFaults();
    stack.app.releaseHangingRequests();
    await page?.context().close();
    page = undefined;
  });

  /** The demo at the test OP: tokens in sessionStorage (to see what is kept), short deadlines, renewal on demand. */
  function configure(overrides = {}) {
    const config = stack.useTestOp({
      storage: 'session',
      loadUserInfo: true,
      networkTimeoutMs: NETWORK_TIMEOUT_MS,
      silentRenew: { automatic: false, timeoutMs: RENEW_TIMEOUT_MS },
      ...overrides,
    });
    stack.app.setConfig(withRecordingApi(stack, config));
  }

  /**
   * Opens the demo in a fresh context and waits for start-up. Returns how many top-level navigations went to
   * `idpOrigin` from then on, a check that the page neither navigated nor reloaded since, and the demo server's
   * requests made by this page.
   */
  async function open({ idpOrigin = stack.op.issuer } = {}) {
    page = await stack.newPage();
    const firstRequest = stack.app.requests.length;
    await page.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    const navigations = recordTopNavigations(page);
    const toProvider = () => navigations.filter((url) => new URL(url).origin === idpOrigin).length;
    const appRequests = () => stack.app.requests.slice(firstRequest);
    return { toProvider, sameDocument: await markDocument(page), appRequests };
  }

  const text = async (testId) => (await page.getByTestId(testId).textContent()).trim();

  /** Clicks `testId` and waits for `auth-error` to show a code; returns it and how long that took. */
  async function clickUntilError(testId, timeout) {
    const clicked = Date.now();
    await page.getByTestId(testId).click();
    const code = await waitForTestIdText(page, 'auth-error', /\S/, { timeout });
    return { code, elapsed: Date.now() - clicked };
  }

  async function assertNothingKept() {
    const kept = await sessionStorageDump(page);
    assert.ok(!SESSION_ENTRY.test(kept), `no session kept:\n${kept}`);
    for (const token of Object.values(stack.op.lastIssued)) assert.ok(!kept.includes(token), 'no token is kept');
    const hints = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(hints, [], 'no "had a session" hint either');
  }

  /** The session entry the library keeps in sessionStorage (`storage: 'session'`), or undefined. */
  async function keptSession() {
    const dump = await sessionStorageDump(page);
    return dump.split('\n').find((line) => SESSION_ENTRY.test(line));
  }

  /** Clicks sign-in (the test OP answers at once) and waits until the demo is back, signed in, error cleared. */
  async function signIn() {
    await page.getByTestId('sign-in').click();
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    assert.equal(await text('auth-error'), '');
    assert.ok(await keptSession(), 'the session is kept');
  }

  describe('refused connections', () => {
    for (const [endpoint, when, tripsBeforeFailure] of [
      ['discovery', 'at the sign-in click', 0],
      ['jwks', 'on the callback', 1],
      ['userinfo', 'on the callback', 1],
    ]) {
      test(`${endpoint} closes the connection ${when}: network_error at once, nothing kept, one trip, next click works`, async () => {
        const { toProvider, sameDocument } = await open();
        stack.op.setEndpointFault(endpoint, 'refuse');

        const { code, elapsed } = await clickUntilError('sign-in', NETWORK_TIMEOUT_MS + SLACK_MS);
        assert.equal(code, 'network_error');
        assert.ok(elapsed < NETWORK_TIMEOUT_MS, `shown after ${elapsed} ms: a refusal needs no deadline`);
        assert.equal(await waitForAuthStatus(page), 'signed-out');
        assert.equal(new URL(page.url()).origin, stack.app.origin);
        await assertStaysAt(toProvider, tripsBeforeFailure, { forMs: QUIET_MS, what: 'trips to the provider' });
        await assertNothingKept();
        if (tripsBeforeFailure === 0) assert.ok(await sameDocument(), 'the failure neither navigated nor reloaded');

        // The next click, in the page as the failure left it.
        stack.op.setEndpointFault(endpoint, null);
        await signIn();
        assert.equal(toProvider(), tripsBeforeFailure + 1, 'one trip for the click that worked');
      });
    }

    test('nothing listens on the issuer port: network_error, no trip; once a provider listens there, the next click works', async () => {
      const port = await freePort();
      const issuer = `http://localhost:${port}`;
      stack.app.setConfig(
        demoAuthConfig({
          issuer,
          apiUrl: stack.api.url,
          storage: 'session',
          networkTimeoutMs: NETWORK_TIMEOUT_MS,
          silentRenew: { automatic: false },
        }),
      );
      const { toProvider, sameDocument } = await open({ idpOrigin: issuer });

      const { code, elapsed } = await clickUntilError('sign-in', NETWORK_TIMEOUT_MS + SLACK_MS);
      assert.equal(code, 'network_error');
      assert.ok(elapsed < NETWORK_TIMEOUT_MS, `shown after ${elapsed} ms: a refusal needs no deadline`);
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
      await assertNothingKept();
      assert.ok(await sameDocument(), 'the failure neither navigated nor reloaded');

      // The provider comes up on that port: the failed discovery was not cached.
      const late = await startTestOp({ port });
      try {
        await signIn();
        assert.equal(toProvider(), 1);
        assert.equal(late.authorizeRequests.length, 1);
      } finally {
        await page.context().close();
        page = undefined;
        await late.close();
      }
    });
  });

  describe('the authorization endpoint fails inside the renewal iframe', () => {
    for (const fault of ['hang', 'http_500', 'garbage', 'refuse']) {
      test(`${fault}: timeout at silentRenew.timeoutMs, the session kept and used, no navigation, next renewal works`, async () => {
        const { toProvider } = await open();
        await signIn();
        const sameDocument = await markDocument(page);
        const signedIn = toProvider();
        const session = await keptSession();
        const token = await tokenSentToRecordingApi(page, stack);
        assert.equal(token, `Bearer ${stack.op.lastIssued.accessToken}`);
        // Renewals sent, told apart by their state: a browser may resend a request whose reused connection was
        // closed under it (`refuse`), which is the network stack's retry, not the library's.
        const silent = () =>
          new Set(
            stack.op.authorizeRequests
              .filter((request) => request.params.get('prompt') === 'none')
              .map((request) => request.params.get('state')),
          ).size;
        const silentBefore = silent();

        stack.op.setEndpointFault('authorize', fault);
        const { code, elapsed } = await clickUntilError('renew', RENEW_TIMEOUT_MS + SLACK_MS);
        assert.equal(code, 'timeout');
        assert.ok(elapsed >= RENEW_TIMEOUT_MS - 100, `gave up after ${elapsed} ms: the deadline, not something else`);
        assert.ok(elapsed <= RENEW_TIMEOUT_MS + SLACK_MS, `gave up after ${elapsed} ms`);
        assert.equal(silent() - silentBefore, 1, 'one prompt=none request, no retry');
        assert.equal(await page.locator('iframe').count(), 0, 'the iframe is gone');

        // The tokens are still valid: the session stays, unchanged, and its token still goes to the API.
        assert.equal(await waitForAuthStatus(page), 'signed-in');
        assert.equal(await keptSession(), session, 'nothing written from the failed renewal');
        assert.equal(await tokenSentToRecordingApi(page, stack), token);
        await assertStaysAt(toProvider, signedIn, { forMs: QUIET_MS, what: 'top-level trips to the provider' });

        stack.op.setEndpointFault('authorize', null);
        stack.op.releaseHangingRequests();
        await page.getByTestId('renew').click();
        await waitForTestIdText(page, 'auth-error', /^$/);
        const renewed = `Bearer ${stack.op.lastIssued.accessToken}`;
        assert.notEqual(renewed, token);
        assert.equal(await tokenSentToRecordingApi(page, stack), renewed);
        assert.notEqual(await keptSession(), session, 'the renewed session is kept');
        assert.equal(toProvider(), signedIn, 'renewals never navigate the top page');
        assert.ok(await sameDocument(), 'recovered without a reload');
      });
    }
  });

  describe("the library's lazily loaded chunk does not arrive", () => {
    /**
     * Breaks every script chunk the page did not load at start-up: the library's on-demand code, which the
     * first sign-in click imports (found at run time, so no chunk name is written down here).
     */
    function breakLazyChunks(fault, appRequests) {
      const loaded = new Set(appRequests().map((request) => request.path));
      const isLazyChunk = (path) => /^\/chunk-[\w-]+\.js$/.test(path) && !loaded.has(path);
      stack.app.setAssetFault(isLazyChunk, fault);
      return () => appRequests().filter((request) => isLazyChunk(request.path));
    }

    for (const [fault, expected] of [
      ['http_500', 'network_error'],
      ['refuse', 'network_error'],
      ['hang', 'network_timeout'],
    ]) {
      test(`${fault}: ${expected} within networkTimeoutMs, no trip to the provider, next click works without a reload`, async () => {
        const { toProvider, sameDocument, appRequests } = await open();
        const chunkRequests = breakLazyChunks(fault, appRequests);
        const opRequests = stack.op.requests.length;

        const { code, elapsed } = await clickUntilError('sign-in', NETWORK_TIMEOUT_MS + SLACK_MS);
        assert.equal(code, expected);
        assert.ok(chunkRequests().length >= 1, 'the click asked for the lazy chunk');
        if (fault === 'hang') assert.ok(elapsed >= NETWORK_TIMEOUT_MS - 100, `gave up after ${elapsed} ms`);
        assert.ok(elapsed <= NETWORK_TIMEOUT_MS + SLACK_MS, `gave up after ${elapsed} ms`);
        assert.equal(await waitForAuthStatus(page), 'signed-out');
        await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
        assert.equal(stack.op.requests.length, opRequests, 'the provider was not even asked');
        await assertNothingKept();
        assert.ok(await sameDocument(), 'the failure neither navigated nor reloaded');

        // The next click, in the same document: the failed download is not remembered.
        stack.app.clearAssetFaults();
        stack.app.releaseHangingRequests();
        await signIn();
        assert.equal(toProvider(), 1);
      });
    }

    // The guard signs in through login(), which needs the same chunk: a signed-out visit to a guarded page ends as
    // a click on sign-in does, on the error route (the demo's root) with the typed error, within login()'s deadline.
    for (const [fault, expected] of [
      ['http_500', 'network_error'],
      ['hang', 'network_timeout'],
    ]) {
      test(`${fault}, for the guard of a signed-out visitor: ${expected} on the error route, no trip to the provider, no loop`, async () => {
        const { toProvider, sameDocument, appRequests } = await open();
        const chunkRequests = breakLazyChunks(fault, appRequests);

        const clicked = Date.now();
        await page.getByRole('link', { name: 'Profile' }).click();
        const code = await waitForTestIdText(page, 'auth-error', /\S/, { timeout: NETWORK_TIMEOUT_MS + SLACK_MS });
        const elapsed = Date.now() - clicked;
        assert.equal(code, expected);
        assert.ok(chunkRequests().length >= 1, 'the guard asked for the lazy chunk');
        assert.ok(elapsed <= NETWORK_TIMEOUT_MS + SLACK_MS, `shown after ${elapsed} ms`);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await waitForAuthStatus(page), 'signed-out');
        await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
        assert.ok(await sameDocument(), 'the failure neither navigated away nor reloaded');

        // The error stands: the guarded page again shows it rather than downloading and redirecting by itself.
        stack.app.clearAssetFaults();
        stack.app.releaseHangingRequests();
        await page.getByRole('link', { name: 'Profile' }).click();
        await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await text('auth-error'), expected);
        // The user's own click signs in, in the same document.
        await signIn();
        assert.equal(toProvider(), 1);
      });
    }
  });

  describe('the browser offline', () => {
    test('sign-in offline: network_error within the deadline, no navigation; back online the next click works', async () => {
      const { toProvider, sameDocument } = await open();
      await page.context().setOffline(true);

      const { code, elapsed } = await clickUntilError('sign-in', NETWORK_TIMEOUT_MS + SLACK_MS);
      assert.equal(code, 'network_error');
      assert.ok(elapsed <= NETWORK_TIMEOUT_MS + SLACK_MS, `shown after ${elapsed} ms`);
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      assert.equal(new URL(page.url()).origin, stack.app.origin);
      await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
      await assertNothingKept();
      assert.ok(await sameDocument(), 'the failure neither navigated nor reloaded');

      await page.context().setOffline(false);
      await signIn();
      assert.equal(toProvider(), 1);
    });

    test('sign-in offline once the chunk is loaded: network_error from discovery; back online the next click works', async () => {
      const { toProvider, sameDocument } = await open();
      // A first sign-in whose discovery fails loads the lazy chunk and leaves nothing else behind.
      stack.op.setEndpointFault('discovery', 'http_500');
      assert.equal((await clickUntilError('sign-in', NETWORK_TIMEOUT_MS + SLACK_MS)).code, 'discovery_failed');
      stack.op.setEndpointFault('discovery', null);
      await page.context().setOffline(true);

      await page.getByTestId('sign-in').click();
      assert.equal(await waitForTestIdText(page, 'auth-error', /^network_error$/), 'network_error');
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      await assertStaysAt(toProvider, 0, { forMs: QUIET_MS, what: 'trips to the provider' });
      await assertNothingKept();
      assert.ok(await sameDocument(), 'the failure neither navigated nor reloaded');

      await page.context().setOffline(false);
      await signIn();
      assert.equal(toProvider(), 1);
    });

    test('a renewal offline: an error within the deadline, the session kept; back online the next renewal works', async () => {
      const { toProvider } = await open();
      await signIn();
      const sameDocument = await markDocument(page);
      const session = await keptSession();
      const token = await tokenSentToRecordingApi(page, stack);
      await page.context().setOffline(true);

      const { code, elapsed } = await clickUntilError('renew', RENEW_TIMEOUT_MS + SLACK_MS);
      assert.equal(code, 'timeout');
      assert.ok(elapsed <= RENEW_TIMEOUT_MS + SLACK_MS, `shown after ${elapsed} ms`);
      assert.equal(await waitForAuthStatus(page), 'signed-in');
      assert.equal(await keptSession(), session, 'the session is kept, unchanged');
      await assertStaysAt(toProvider, 1, { forMs: QUIET_MS, what: 'trips to the provider' });

      await page.context().setOffline(false);
      assert.equal(await tokenSentToRecordingApi(page, stack), token, 'the kept token is used again');
      await page.getByTestId('renew').click();
      await waitForTestIdText(page, 'auth-error', /^$/);
      const renewed = `Bearer ${stack.op.lastIssued.accessToken}`;
      assert.notEqual(renewed, token);
      assert.equal(await tokenSentToRecordingApi(page, stack), renewed);
      assert.equal(toProvider(), 1);
      assert.ok(await sameDocument(), 'recovered without a reload');
    });
  });
});

/** A localhost port nothing listens on (bound for a moment, then released). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => probe.once('error', reject).listen(0, 'localhost', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
